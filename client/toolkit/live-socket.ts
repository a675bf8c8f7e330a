// The live socket of a signed-in tab: one Socket.IO connection per token, its session events, retries.
import { io, type Socket } from 'socket.io-client';
import { SOCKET_PATH } from '../../shared/constants.js';
import type { ClientToServerEvents, Deadlines, ServerToClientEvents, TouchAck } from '../../shared/events.js';
import type { LiveEventAck, LiveEventMessage, LivePatch, LiveSchemas } from '../../shared/live.js';
import { RETRYABLE_REFUSALS, type EndReason, type ExpiredDeadline, type HandshakeRefusal } from '../../shared/reasons.js';
import { jitteredBackoff, phoenixBackoff, type Backoff } from './backoff.js';
import { realTimers, type Timers } from './activity.js';
import { parseEventAck, parseJoinAck, parsePatch, type JoinReply } from './live-wire.js';
import { deadlinesSchema, endedSchema, isHandshakeRefusal, touchAckSchema } from './session-wire.js';

export type TetherClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveSocketHandlers {
  /** Connected (first time or again): the moment to refetch what may have changed meanwhile. */
  onConnect(): void;
  /** The server ended the session (null: a reason this client does not know; `deadline` with `expired`, when it says). Closed already. */
  onEnded(reason: EndReason | null, deadline?: ExpiredDeadline): void;
  /** The session continues under a new ID: fetch /api/session and open a new live socket. Closed already. */
  onRenewed(): void;
  onDeadlines(deadlines: Deadlines): void;
  /** The user's list of sessions changed (one started or ended, a tab opened or closed). */
  onSessionsChanged(): void;
  /** Another session of this user just signed in (payload unchecked: the receiver parses it). */
  onSignedIn?(payload: unknown): void;
  /** The user's activity history has a new entry. */
  onActivityChanged?(): void;
  /** A final handshake refusal (not in RETRYABLE_REFUSALS). Closed already. */
  onRefused(code: HandshakeRefusal): void;
  /** A joined live view changed (the envelope checked; the hub checks the changes against the view's state). */
  onPatch(patch: LivePatch): void;
  /** The connection dropped; it is retried with the backoff, and `onConnect` follows when it is back. */
  onDisconnect(): void;
}

export interface LiveSocketOptions extends LiveSocketHandlers {
  csrfToken: string;
  backoff?: Backoff;
  timers?: Timers;
  ackTimeoutMs?: number;
  /** After `server:moving` (a draining node), the reconnect waits a random share of this (ms). */
  moveJitterMs?: number;
  random?: () => number;
  /** Opens the Socket.IO client (tests pass a double). */
  open?: (auth: { csrfToken: string }) => TetherClientSocket;
}

export interface LiveSocket {
  /** `session:touch` with its ack; null when not connected, timed out, or closed meanwhile. */
  touch(): Promise<TouchAck | null>;
  /** `live:join {view}`: the view's whole state (checked by its schema) and rev; null when not connected, timed out, malformed or closed meanwhile. */
  join<D extends LiveSchemas>(view: D): Promise<JoinReply<D> | null>;
  /** `live:leave {view}`, if connected (a disconnect leaves every view anyway). */
  leave(view: string): void;
  /** `live:event`; null as for `join`. */
  send(message: LiveEventMessage): Promise<LiveEventAck | null>;
  /** Closes for good: removes this module's listeners first, so its own disconnect reports nothing. */
  close(): void;
  readonly connected: boolean;
}

/**
 * `forceNew`: each live socket gets its own Manager, hence its own engine connection and handshake.
 * The server reads the session cookie from the handshake request, so after a renewal (new cookie)
 * a multiplexed connection opened with the old cookie must not be reused.
 * `reconnection: false`: every reconnect is `openLiveSocket`'s, timed by the injected backoff.
 * `tryAllTransports: true`: the fallback from WebSocket to long-polling lives in the Manager's own
 * reconnection otherwise, which is off here; with it, every connect (the first and each of ours)
 * that cannot open a WebSocket (a proxy that refuses upgrades) opens long-polling instead.
 * `uri`: the server's origin; the page's own when absent.
 * @example const socket = openSocketIo({ csrfToken }); // WebSocket first, long-polling when it cannot upgrade
 */
export const openSocketIo = (auth: { csrfToken: string }, uri?: string): TetherClientSocket =>
  io(uri, { path: SOCKET_PATH, transports: ['websocket', 'polling'], tryAllTransports: true, auth, reconnection: false, forceNew: true });

/**
 * One instance is one "connect epoch": once closed, none of its callbacks reach the handlers, so
 * an event from an old socket can never act on a newer session. Reconnects after a dropped
 * connection or a retryable refusal with `backoff(tries)`; never after `session:ended`.
 * @example const live = openLiveSocket({ csrfToken, onConnect, onEnded, onRenewed, onDeadlines, onRefused });
 *          await live.touch(); live.close();
 */
export function openLiveSocket(options: LiveSocketOptions): LiveSocket {
  const { backoff = jitteredBackoff(phoenixBackoff), timers = realTimers, ackTimeoutMs = 10_000, moveJitterMs = 1000, random = Math.random } = options;
  const socket = (options.open ?? openSocketIo)({ csrfToken: options.csrfToken });
  let closed = false;
  let tries = 0;
  let retryTimer: unknown = null;
  let moving = false;

  const retryLater = (delayMs?: number): void => {
    tries += 1;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (!closed) socket.connect();
    }, delayMs ?? backoff(tries));
  };
  /** Closes, then tells exactly one handler (after closing, so it may open a new socket at once). */
  const finish = (then: () => void): void => {
    close();
    then();
  };

  const onConnect = (): void => {
    if (closed) return;
    tries = 0;
    options.onConnect();
  };
  const onConnectError = (err: Error): void => {
    if (closed) return;
    const code = isHandshakeRefusal(err.message) ? err.message : null;
    if (code && !RETRYABLE_REFUSALS.has(code)) return finish(() => options.onRefused(code));
    // A transport error or a retryable refusal: the Manager does not reconnect (reconnection is
    // off), so the retry is ours, with the injected backoff.
    retryLater();
  };
  const onEnded = (payload: unknown): void => {
    if (closed) return;
    const parsed = endedSchema.safeParse(payload);
    finish(() => (parsed.success ? options.onEnded(parsed.data.reason, parsed.data.deadline) : options.onEnded(null)));
  };
  const onRenewed = (): void => {
    if (!closed) finish(() => options.onRenewed());
  };
  const onDeadlines = (payload: unknown): void => {
    const parsed = deadlinesSchema.safeParse(payload);
    if (!closed && parsed.success) options.onDeadlines(parsed.data);
  };
  const onSignedIn = (payload: unknown): void => {
    if (!closed) options.onSignedIn?.(payload);
  };
  const onActivityChanged = (): void => {
    if (!closed) options.onActivityChanged?.();
  };
  const onSessionsChanged = (): void => {
    if (!closed) options.onSessionsChanged();
  };
  const onDisconnect = (reason: Socket.DisconnectReason): void => {
    if (closed || reason === 'io client disconnect') return;
    // Whatever dropped us (the network, a server restart, or the server closing us without saying
    // the session ended, e.g. for flooding), the next handshake tells the truth.
    options.onDisconnect();
    // A draining node moves its sockets over a window; the jitter spreads each tab's reconnect a
    // little more, so tabs moved in one batch do not all arrive at the other node at once.
    if (moving) {
      moving = false;
      return retryLater(Math.floor(random() * moveJitterMs));
    }
    retryLater();
  };
  const onMoving = (): void => {
    moving = true;
  };
  const onPatch = (payload: unknown): void => {
    const patch = parsePatch(payload);
    if (!closed && patch) options.onPatch(patch);
  };

  socket.on('connect', onConnect);
  socket.on('connect_error', onConnectError);
  socket.on('session:ended', onEnded);
  socket.on('session:renewed', onRenewed);
  socket.on('session:deadlines', onDeadlines);
  socket.on('sessions:changed', onSessionsChanged);
  socket.on('sessions:signed-in', onSignedIn);
  socket.on('activity:changed', onActivityChanged);
  socket.on('live:patch', onPatch);
  socket.on('disconnect', onDisconnect);
  socket.on('server:moving', onMoving);

  function close(): void {
    if (closed) return;
    closed = true;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
    // Our listeners go before the disconnect we start, so it is not mistaken for the server's.
    socket.off('connect', onConnect);
    socket.off('connect_error', onConnectError);
    socket.off('session:ended', onEnded);
    socket.off('session:renewed', onRenewed);
    socket.off('session:deadlines', onDeadlines);
    socket.off('sessions:changed', onSessionsChanged);
    socket.off('sessions:signed-in', onSignedIn);
    socket.off('activity:changed', onActivityChanged);
    socket.off('live:patch', onPatch);
    socket.off('disconnect', onDisconnect);
    socket.off('server:moving', onMoving);
    socket.disconnect();
  }

  /** An emit with an ack: the parsed answer, or null when not connected, timed out, malformed or closed meanwhile. */
  const ask = <T>(emit: (done: (err: Error | null, res: unknown) => void) => void, parse: (res: unknown) => T | null): Promise<T | null> =>
    new Promise((resolve) => {
      if (closed || !socket.connected) return resolve(null);
      emit((err, res) => resolve(err || closed ? null : parse(res)));
    });

  return {
    touch: () =>
      ask(
        (done) => socket.timeout(ackTimeoutMs).emit('session:touch', {}, done),
        (res) => {
          const parsed = touchAckSchema.safeParse(res);
          return parsed.success ? parsed.data : null;
        },
      ),
    join: <D extends LiveSchemas>(view: D) =>
      ask(
        (done) => socket.timeout(ackTimeoutMs).emit('live:join', { view: view.name }, done),
        (res) => parseJoinAck(view, res),
      ),
    leave(view) {
      // Fire and forget: a leave that does not arrive ends with the socket anyway.
      if (!closed && socket.connected) socket.timeout(ackTimeoutMs).emit('live:leave', { view }, () => {});
    },
    send: (message) =>
      ask(
        (done) => socket.timeout(ackTimeoutMs).emit('live:event', message, done),
        parseEventAck,
      ),
    close,
    get connected() {
      return !closed && socket.connected;
    },
  };
}
