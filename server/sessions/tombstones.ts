// Remembers ended session IDs (and why) so that a late save, touch or reconnect cannot revive them.
import type { Clock } from '../clock.js';

export type TombstoneReason = import('../../shared/reasons.js').EndReason | 'renewed' | 'signed_in';

export interface Tombstones {
  add(sessionId: string, reason: TombstoneReason): void;
  get(sessionId: string): TombstoneReason | undefined;
  readonly size: number;
}

/**
 * In-memory tombstones that expire after `ttlMs` (a session cannot outlive its absolute timeout,
 * so neither needs its tombstone). Pruned as entries are added, so memory stays bounded.
 * @example const t = createTombstones({ ttlMs: 8 * 3600_000 }); t.add(sid, 'logout');
 */
export function createTombstones({ ttlMs, clock }: { ttlMs: number; clock: Clock }): Tombstones {
  // Map keeps insertion order, so the oldest entries are first and pruning stops early.
  const entries = new Map<string, { reason: TombstoneReason; until: number }>();
  const prune = (now: number): void => {
    for (const [id, entry] of entries) {
      if (entry.until > now) break;
      entries.delete(id);
    }
  };
  return {
    add(sessionId, reason) {
      const now = clock.now();
      prune(now);
      entries.delete(sessionId);
      entries.set(sessionId, { reason, until: now + ttlMs });
    },
    get(sessionId) {
      const entry = entries.get(sessionId);
      return entry && entry.until > clock.now() ? entry.reason : undefined;
    },
    get size() {
      return entries.size;
    },
  };
}
