// The deadline index: one sorted set of live session IDs, scored by when each ends, for the expiry sweep.
//
// Why an index and not keyspace notifications: `notify-keyspace-events` is server config that
// managed Redis services (ElastiCache, Memorystore, Azure Cache) restrict or forbid changing, its
// events are fire-and-forget (a node that is down or reconnecting misses them for good) and on a
// cluster they are per shard. An index survives every node being down and is swept by all alike.
//
// The score carries which deadline comes first as its lowest bit (endsAt × 2, + 1 when it is the
// absolute one): when Redis has already dropped the entry by its TTL, the index alone still says
// which deadline passed. Epoch milliseconds × 2 stay far below 2^53, so the doubles are exact.
import type { Deadlines } from '../../shared/events.js';
import type { ExpiredDeadline } from '../../shared/reasons.js';
import { endsAt } from '../sessions/deadline-math.js';

/** The index score of a session with these deadlines. */
export function deadlineScore(d: Deadlines): number {
  const first = endsAt(d);
  return first * 2 + (first >= d.absoluteExpiresAt ? 1 : 0);
}

/** The highest score that is due at `now` (either deadline at or before it). */
export const dueScore = (now: number): number => now * 2 + 1;

/** Which deadline a score says passes first. */
export const scoredDeadline = (score: number): ExpiredDeadline => (score % 2 === 1 ? 'absolute' : 'idle');

/** Which deadline of a stored session passes first (the one it expired by, once past). */
export const firstDeadline = (d: Deadlines): ExpiredDeadline => scoredDeadline(deadlineScore(d));
