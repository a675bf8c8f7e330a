// Readiness and draining: /readyz, refusing handshakes with `draining`, moving sockets off over DRAIN_MS.
import type { ExtendedError } from 'socket.io';
import type { Clock } from '../sessions/index.js';
import type { Logger } from '../sessions/index.js';
import { refusal } from '../socketio/index.js';
import type { TetherServer, TetherSocket } from '../socketio/index.js';
import { noMetrics, type MetricsHooks } from '../sessions/index.js';

export type DrainState = 'starting' | 'ready' | 'draining' | 'drained';

export interface DrainOptions {
  io: TetherServer;
  /** Schedules the batches (a manual clock in tests). */
  clock: Clock;
  /** The window over which open sockets are moved off (DRAIN_MS). */
  drainMs: number;
  log: Logger;
  metrics?: MetricsHooks;
  /** Shortest gap between two batches of moves: a timer per socket would cost more than the moves. */
  minStepMs?: number;
}

export interface Drain {
  readonly state: DrainState;
  /** True while the node takes new sockets (`GET /readyz` → 200). */
  readonly ready: boolean;
  /** Listening: from now on the node takes sockets. */
  markReady(): void;
  /** `io.use` middleware, installed first: while draining every handshake is refused with `draining`. */
  middleware(socket: TetherSocket, next: (err?: ExtendedError) => void): void;
  /**
   * Readiness off and handshakes refused at once; then this node's sockets are told
   * `server:moving` and disconnected, in even batches spread over `drainMs`, so their reconnects
   * reach the other nodes as a trickle instead of a storm. Resolves when no socket is left here.
   * Sessions are untouched: every tab reconnects elsewhere with the same cookie.
   */
  start(): Promise<void>;
}

/**
 * @example const drain = createDrain({ io, clock, drainMs: 10_000, log });
 *          io.use(drain.middleware); await listen(); drain.markReady();
 *          process.once('SIGTERM', () => void drain.start().then(close));
 */
export function createDrain({ io, clock, drainMs, log, metrics = noMetrics, minStepMs = 10 }: DrainOptions): Drain {
  if (!(drainMs >= 0)) throw new Error('createDrain: drainMs must be >= 0');
  let state: DrainState = 'starting';
  let started: Promise<void> | undefined;

  const move = (socket: TetherSocket): void => {
    socket.emit('server:moving');
    // `true` closes the connection itself, not only the namespace: the client's next connect opens
    // a new connection, which the balancer routes to a ready node, instead of reusing this one.
    socket.disconnect(true);
  };

  const run = (): Promise<void> =>
    new Promise((resolve) => {
      const sockets = io.of('/').sockets;
      const steps = Math.max(1, Math.min(sockets.size, Math.floor(drainMs / minStepMs)));
      const stepMs = drainMs / steps;
      log.info({ sockets: sockets.size, drainMs, steps }, 'draining: moving sockets to other nodes');
      let step = 0;
      const batch = (): void => {
        // Even shares of what is left, read live: a socket that left by itself is not counted, and
        // one admitted by a handshake already past the check when draining began is moved too.
        const left = steps - step;
        const take = left <= 1 ? sockets.size : Math.ceil(sockets.size / left);
        for (const socket of [...sockets.values()].slice(0, take)) move(socket);
        step += 1;
        if (step < steps) clock.setTimeout(batch, stepMs);
        else {
          state = 'drained';
          resolve();
        }
      };
      batch();
    });

  return {
    get state() {
      return state;
    },
    get ready() {
      return state === 'ready';
    },
    markReady() {
      if (state === 'starting') state = 'ready';
    },
    middleware(_socket, next) {
      if (state !== 'draining' && state !== 'drained') return next();
      metrics.handshake('draining');
      next(refusal('draining'));
    },
    start() {
      if (!started) {
        state = 'draining';
        started = run();
      }
      return started;
    },
  };
}
