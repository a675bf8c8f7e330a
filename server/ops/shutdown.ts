// SIGTERM: drain (readiness off, sockets moved over DRAIN_MS), let in-flight requests finish, close.
import type { Drain } from './drain.js';

export interface Closable {
  drain: Drain;
  /** Stops listening, waits for in-flight HTTP requests, closes stores. */
  close(): Promise<void>;
}

/**
 * Resolves once the node is drained and closed; the caller then exits 0. No session is touched:
 * every moved tab reconnects elsewhere with the same cookie.
 * @example process.once('SIGTERM', () => void drainAndClose(tether).then(() => process.exit(0)));
 */
export async function drainAndClose(node: Closable): Promise<void> {
  await node.drain.start();
  await node.close();
}
