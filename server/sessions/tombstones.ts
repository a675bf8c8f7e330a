// Remembers ended session IDs (and why) so that a late save, touch or reconnect cannot revive them.
import type { EndReason } from '../../shared/reasons.js';
import type { Clock } from './clock.js';

/** Why an ID is dead: an end reason, or `renewed` (the session continues under a successor ID). */
export type TombstoneReason = EndReason | 'renewed';

export interface Tombstones {
  /** Records the first reason only: an ID ends once. `successor` goes with `renewed`. */
  add(sessionId: string, reason: TombstoneReason, successor?: string): void;
  get(sessionId: string): TombstoneReason | undefined;
  /** The ID a renewed session continues under, when this node knows it. */
  successor(sessionId: string): string | undefined;
  readonly size: number;
}

/**
 * In-memory tombstones that expire after `ttlMs` (a session cannot outlive its absolute timeout,
 * so neither needs its tombstone). Pruned as entries are added, so memory stays bounded.
 * @example const t = createTombstones({ ttlMs: 8 * 3600_000, clock }); t.add(sid, 'logout');
 */
export function createTombstones({ ttlMs, clock }: { ttlMs: number; clock: Clock }): Tombstones {
  // Map keeps insertion order, so the oldest entries are first and pruning stops early.
  const entries = new Map<string, { reason: TombstoneReason; until: number; successor: string | undefined }>();
  const prune = (now: number): void => {
    for (const [id, entry] of entries) {
      if (entry.until > now) break;
      entries.delete(id);
    }
  };
  const live = (sessionId: string) => {
    const entry = entries.get(sessionId);
    return entry && entry.until > clock.now() ? entry : undefined;
  };
  return {
    add(sessionId, reason, successor) {
      const now = clock.now();
      prune(now);
      if (live(sessionId)) return;
      entries.set(sessionId, { reason, until: now + ttlMs, successor });
    },
    get: (sessionId) => live(sessionId)?.reason,
    successor: (sessionId) => live(sessionId)?.successor,
    get size() {
      return entries.size;
    },
  };
}
