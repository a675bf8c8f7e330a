// The live socket of a signed-in tab: one Socket.IO connection per token, its session events, retries.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Deadlines, ServerToClientEvents, TouchAck } from '../shared/events.js';
import { RETRYABLE_REFUSALS, type EndReason, type HandshakeRefusal } from '../shared/reasons.js';
import { phoenixBackoff, type Backoff } from './backoff.js';
import { realTimers, type Timers } from './activity.js';
import { isHandshakeRefusal } from './messages.js';
import { deadlinesSchema, endedSchema, touchAckSchema } from './wire.js';

export type TetherClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveSocketHandlers {
  /** Connected (first time or again): the moment to refetch what may have changed meanwhile. */
  onConnect(): void;
  /** The server ended the session (null: a reason this client does not know). Closed already. */
  onEnded(reason: EndReason | null): void;
  /** The session continues under a new ID: fetch /api/session and open a new live socket. Closed already. */
  onRenewed(): void;
  onDeadlines(deadlines: Deadlines): void;
  /** The user's list of sessions changed (one started or ended, a tab opened or closed). */
  onSessionsChanged(): void;
  /** A final handshake refusal (not in RETRYABLE_REFUSALS). Closed already. */
  onRefused(code: HandshakeRefusal): void;
}

export interface LiveSocketOptions extends LiveSocketHandlers {
  csrfToken: string;
  backoff?: Backoff;
  timers?: Timers;
  ackTimeoutMs?: number;
  /** Opens the Socket.IO client (tests pass a double). */
  open?: (auth: { csrfToken: string }) => TetherClientSocket;
}

export interface LiveSocket {
  /** `session:touch` with its ack; null when not connected, timed out, or closed meanwhile. */
  touch(): Promise<TouchAck | null>;
  /** Closes for good: removes this module's listeners first, so its own disconnect reports nothing. */
  close(): void;
  readonly connected: boolean;
}

/**
 * `forceNew`: each live socket gets its own Manager, hence its own engine connection and handshake.
 * The server reads the session cookie from the handshake request, so after a renewal (new cookie)
 * a multiplexed connection opened with the old cookie must not be reused.
 */
export const openSocketIo = (auth: { csrfToken: string }): TetherClientSocket =>
  io({ path: '/socket.io', transports: ['websocket', 'polling'], auth, reconnection: true, forceNew: true });

/**
 * One instance is one "connect epoch": once closed, none of its callbacks reach the handlers, so
 * an event from an old socket can never act on a newer session. Never reconnects after
 * `session:ended`.
 * @example const live = openLiveSocket({ csrfToken, onConnect, onEnded, onRenewed, onDeadlines, onRefused });
 *          await live.touch(); live.close();
 */
export function openLiveSocket(options: LiveSocketOptions): LiveSocket {
  const { backoff = phoenixBackoff, timers = realTimers, ackTimeoutMs = 10_000 } = options;
  const socket = (options.open ?? openSocketIo)({ csrfToken: options.csrfToken });
  let closed = false;
  let tries = 0;
  let retryTimer: unknown = null;

  const retryLater = (): void => {
    tries += 1;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (!closed) socket.connect();
    }, backoff(tries));
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
    // A transport error leaves the socket active: the Manager reconnects by itself. A refusal by
    // the server's middleware leaves it inactive: retrying is ours, with the injected backoff.
    if (!socket.active) retryLater();
  };
  const onEnded = (payload: unknown): void => {
    if (closed) return;
    const parsed = endedSchema.safeParse(payload);
    finish(() => options.onEnded(parsed.success ? parsed.data.reason : null));
  };
  const onRenewed = (): void => {
    if (!closed) finish(() => options.onRenewed());
  };
  const onDeadlines = (payload: unknown): void => {
    const parsed = deadlinesSchema.safeParse(payload);
    if (!closed && parsed.success) options.onDeadlines(parsed.data);
  };
  const onSessionsChanged = (): void => {
    if (!closed) options.onSessionsChanged();
  };
  const onDisconnect = (reason: Socket.DisconnectReason): void => {
    // The server closed us without saying the session ended (e.g. for flooding): the handshake
    // will tell the truth. Other reasons are the Manager's to reconnect.
    if (!closed && reason === 'io server disconnect') retryLater();
  };

  socket.on('connect', onConnect);
  socket.on('connect_error', onConnectError);
  socket.on('session:ended', onEnded);
  socket.on('session:renewed', onRenewed);
  socket.on('session:deadlines', onDeadlines);
  socket.on('sessions:changed', onSessionsChanged);
  socket.on('disconnect', onDisconnect);

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
    socket.off('disconnect', onDisconnect);
    socket.disconnect();
  }

  return {
    touch() {
      if (closed || !socket.connected) return Promise.resolve(null);
      return new Promise((resolve) => {
        socket.timeout(ackTimeoutMs).emit('session:touch', {}, (err: Error | null, res: TouchAck) => {
          const parsed = touchAckSchema.safeParse(res);
          resolve(err || closed || !parsed.success ? null : parsed.data);
        });
      });
    },
    close,
    get connected() {
      return !closed && socket.connected;
    },
  };
}
