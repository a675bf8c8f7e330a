// What the bindings and live views report to metrics: named calls, no library (a no-op by default).
import { HANDSHAKE_REFUSALS, type EndReason, type HandshakeRefusal } from '../../shared/reasons.js';

/** A handshake's outcome: admitted, or the refusal code the client got. */
export type HandshakeOutcome = 'admitted' | HandshakeRefusal;

/**
 * The calls instrumented code makes. Injected (a no-op by default), so the lifecycle imports no
 * metrics library and a test can pass its own recorder.
 */
export interface MetricsHooks {
  handshake(outcome: HandshakeOutcome): void;
  /** A session ended on this node (counted once, where the end started). */
  sessionEnded(reason: EndReason): void;
  /** From the start of ending a session to its last local socket disconnected, in ms. */
  lastSocketGone(ms: number): void;
  /** One store or registry call: which, how long (ms), and whether it failed. */
  storeCall(op: string, ms: number, failed: boolean): void;
  liveJoin(view: string): void;
  livePatch(view: string): void;
}

/** Records nothing. */
export const noMetrics: MetricsHooks = {
  handshake() {},
  sessionEnded() {},
  lastSocketGone() {},
  storeCall() {},
  liveJoin() {},
  livePatch() {},
};

/** A Socket.IO middleware's shape, as far as counting its refusals needs. */
type Middleware<S> = (socket: S, next: (err?: Error & { data?: unknown }) => void) => void;

const refusalCode = (err: Error & { data?: unknown }): HandshakeRefusal | undefined => {
  const code = (err.data as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (HANDSHAKE_REFUSALS as readonly string[]).includes(code) ? (code as HandshakeRefusal) : undefined;
};

/**
 * The same middleware, with every refusal it makes counted by its code (`handshake(code)`).
 * For middlewares outside the session handshake (the per-IP handshake limit), which count nothing themselves.
 * @example io.use(countRefusals(handshakeLimit.middleware, metrics));
 */
export function countRefusals<S>(middleware: Middleware<S>, metrics: Pick<MetricsHooks, 'handshake'>): Middleware<S> {
  return (socket, next) =>
    middleware(socket, (err) => {
      const code = err ? refusalCode(err) : undefined;
      if (code) metrics.handshake(code);
      next(err);
    });
}
