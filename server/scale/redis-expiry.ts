// Expiry of Redis sessions that no node watches: the deadline index, kept by every write, and the claim.
import { isPast } from '../sessions/deadline-math.js';
import type { DueSession, ExpiryClaim, StoredSession } from '../sessions/store.js';
import { deadlineScore, dueScore, firstDeadline, scoredDeadline } from './deadline-index.js';
import type { RedisKeys } from './keys.js';
import { lua, type LuaScript } from './redis-client.js';
import type { RedisCommands } from './redis-commands.js';
import { parseTombstone } from './tombstone-value.js';

/**
 * KEYS: entry, tombstone. ARGV: tombstone value, its ttl ms, the entry as read ('' when gone).
 * Claims the end only if nobody ended it and the entry is still what the caller judged past:
 * 1 claimed, 0 someone ended it first, -1 the entry changed meanwhile (judge again).
 */
const CLAIM_EXPIRY = lua(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[3] then return -1 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[1])
return 1
`);

export interface RedisExpiryDeps {
  client: RedisCommands;
  keys: RedisKeys;
  tombstoneTtlMs: number;
  /** A gated, bounded call, sent when the gate lets it (StoreUnavailableError when Redis does not answer). */
  call<T>(command: () => Promise<T>): Promise<T>;
  /** A bounded script on the session's entry and tombstone. */
  run(sessionId: string, script: LuaScript, args: string[]): Promise<unknown>;
}

const MAX_CLAIM_ATTEMPTS = 5;

/**
 * The index is a hint, never the truth: it is written after the entry (a separate command, as the
 * two live on different cluster slots), so a claim judges the entry itself. An entry that is gone
 * without a tombstone was dropped by its TTL, which only ever happens at or after its deadline.
 * @example const expiry = createRedisExpiry({ client, keys, tombstoneTtlMs, call, run }); await expiry.index(sid, sess);
 */
export function createRedisExpiry({ client, keys, tombstoneTtlMs, call, run }: RedisExpiryDeps) {
  const index = (sessionId: string, sess: StoredSession): Promise<unknown> => call(() => client.zAdd(keys.deadlines(sessionId), deadlineScore(sess), sessionId));
  const unindex = (sessionId: string): Promise<unknown> => call(() => client.zRem(keys.deadlines(sessionId), sessionId));
  return {
    index,
    unindex,
    async dueForExpiry(now: number, limit: number): Promise<DueSession[]> {
      // The earliest `limit` over every bucket: each bucket's earliest `limit`, merged.
      const buckets = await Promise.all(keys.deadlineBuckets.map((key) => call(() => client.zUpTo(key, dueScore(now), limit))));
      const due = buckets.flat().sort((x, y) => x.score - y.score).slice(0, limit);
      return due.map(({ value, score }) => ({ sessionId: value, deadline: scoredDeadline(score) }));
    },
    async claimExpiry(sessionId: string, now: number): Promise<ExpiryClaim> {
      for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
        const [entry, ended] = await call(() => client.mGet([keys.session(sessionId), keys.tombstone(sessionId)]));
        const earlier = parseTombstone(ended);
        if (earlier) {
          await unindex(sessionId);
          return { outcome: 'ended', ...earlier };
        }
        const sess = entry ? (JSON.parse(entry) as StoredSession) : null;
        if (sess && !isPast(sess, now)) {
          // The index was behind the entry (a touch between its two writes): put it right.
          await index(sessionId, sess);
          return { outcome: 'live', deadlines: { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt } };
        }
        const claimed = await run(sessionId, CLAIM_EXPIRY, ['expired', String(tombstoneTtlMs), entry ?? '']);
        if (claimed === 1) {
          await unindex(sessionId);
          return sess ? { outcome: 'claimed', deadline: firstDeadline(sess) } : { outcome: 'claimed' };
        }
      }
      throw new Error(`session entry changed ${MAX_CLAIM_ATTEMPTS} times during one expiry claim`);
    },
  };
}
