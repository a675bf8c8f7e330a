// The Socket.IO contract, typed both ways: every emit on server and client is checked against it.
import { z } from 'zod';
import type { EndReason, ExpiredDeadline } from './reasons.js';
import type { SignInNotice } from './account.js';
import type { JoinAck, LiveEventAck, LiveEventMessage, LivePatch } from './live.js';

export type { Ack } from './ack.js';
import type { Ack } from './ack.js';

export interface Deadlines {
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

export type TouchAck = Ack<Deadlines>;

/** `session:touch` takes no payload or `{}`. */
export const touchPayloadSchema = z.union([z.undefined(), z.strictObject({})]);

export interface ServerToClientEvents {
  /** With reason `expired`, `deadline` says which one passed (idle or absolute). */
  'session:ended': (payload: { reason: EndReason; deadline?: ExpiredDeadline }) => void;
  'session:renewed': () => void;
  'session:deadlines': (payload: Deadlines) => void;
  /** The user's list of sessions changed (one started or ended, a tab opened or closed): refetch it. */
  'sessions:changed': () => void;
  /** A session of this user just started by sign-in (sent to the user's other sessions' tabs). */
  'sessions:signed-in': (notice: SignInNotice) => void;
  /** The user's activity history has a new entry: refetch it. */
  'activity:changed': () => void;
  /** A joined live view changed: only the changed keys. */
  'live:patch': (patch: LivePatch) => void;
  /**
   * This node is draining (shutting down): the server disconnects the socket right after, and the
   * client reconnects at once, with jitter, through the balancer to another node. Not an end.
   */
  'server:moving': () => void;
}

export interface ClientToServerEvents {
  /** Marks the user active; the server also accepts it with no payload (just the ack). */
  'session:touch': (payload: Record<string, never>, ack: (res: TouchAck) => void) => void;
  /** Mounts a live view for this socket; the ack carries its whole state once. */
  'live:join': (payload: { view: string }, ack: (res: JoinAck) => void) => void;
  'live:leave': (payload: { view: string }, ack: (res: Ack) => void) => void;
  'live:event': (payload: LiveEventMessage, ack: (res: LiveEventAck) => void) => void;
}

/** Messages between server nodes, carried by the Socket.IO adapter. */
export interface InterServerEvents {
  'tether:end': (sessionId: string, reason: EndReason, deadline?: ExpiredDeadline) => void;
  'tether:renew': (sessionId: string, to?: string) => void;
  'tether:count': (userId: string, ack: (counts: Record<string, number>) => void) => void;
  /** A live-view topic message, for the other nodes' subscribers. */
  'live:info': (topic: string, message: unknown) => void;
}

/** What a socket keeps: identifiers and deadlines, never the request or the session object. */
export interface SocketData {
  sessionId: string;
  userId: string;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/** The handshake's `auth` payload. */
export const handshakeAuthSchema = z.object({ csrfToken: z.string().min(1).max(256) });
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

export { MAX_SOCKET_FRAME_BYTES, SOCKET_PATH } from './constants.js';
