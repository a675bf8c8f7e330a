// Where the shared counter lives: in this process alone, or in Redis (one Redis or a Redis Cluster) when nodes share it.
import type { BoardState } from '../../shared/views/board.js';
import { bounded } from '../sessions/index.js';
// Types only: a value import of tether-session/redis would put the Redis client into every start
// (the bundle keeps it in a chunk that only SESSION_STORE=redis loads).
import type { RedisCommands } from '../scale/index.js';

/** The board with the version of the change that made it: versions only grow, so the newest wins on every node. */
export interface BoardSnapshot {
  board: BoardState;
  version: number;
}

export interface BoardCounter {
  /** The current board (a node that just started reads what the others made of it). */
  read(): Promise<BoardSnapshot>;
  /** Adds `by` atomically (concurrent changes on any node are never lost). */
  bump(by: number, who: string, at: number): Promise<BoardSnapshot>;
  reset(who: string, at: number): Promise<BoardSnapshot>;
}

/** Whether `m` is a BoardSnapshot (a topic message from another node is unknown until checked). */
export function isBoardSnapshot(m: unknown): m is BoardSnapshot {
  if (typeof m !== 'object' || m === null) return false;
  const { board, version } = m as Partial<BoardSnapshot>;
  return (
    typeof version === 'number' &&
    typeof board === 'object' &&
    board !== null &&
    typeof board.count === 'number' &&
    (board.lastBy === null || typeof board.lastBy === 'string') &&
    (board.lastAt === null || typeof board.lastAt === 'number')
  );
}

/**
 * One node: the board in this process.
 * @example const counter = createMemoryBoardCounter(); await counter.bump(1, 'ann', Date.now());
 */
export function createMemoryBoardCounter(): BoardCounter {
  let snapshot: BoardSnapshot = { board: { count: 0, lastBy: null, lastAt: null }, version: 0 };
  const set = (count: number, lastBy: string, lastAt: number): BoardSnapshot => (snapshot = { board: { count, lastBy, lastAt }, version: snapshot.version + 1 });
  return {
    read: async () => snapshot,
    bump: async (by, who, at) => set(snapshot.board.count + by, who, at),
    reset: async (who, at) => set(0, who, at),
  };
}

export interface RedisBoardCounterOptions {
  /** The node's command connection: one Redis or a Redis Cluster. */
  commands: RedisCommands;
  /** REDIS_PREFIX: the keys are `<prefix>{board}:count`, `…:version` and `…:last`. */
  prefix: string;
  /** Bound per call (a Redis that hangs must not hold a socket's event queue). */
  timeoutMs?: number;
}

/** Sets or adds to the count, bumps the version, records who and when; answers the count and version as this change left them. */
const CHANGE = `
local count
if ARGV[1] == 'set' then
  redis.call('SET', KEYS[1], ARGV[2])
  count = tonumber(ARGV[2])
else
  count = redis.call('INCRBY', KEYS[1], ARGV[2])
end
local version = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[3], ARGV[3])
return {count, version}
`;

/**
 * Several nodes: the count in Redis. Each change is one script over three keys of one slot (the
 * `{board}` hash tag, so it runs on a Redis Cluster too), so two nodes' changes are serialized by
 * Redis and each answer is the board exactly as that change left it.
 * @example const counter = createRedisBoardCounter({ commands, prefix: 'tether:' });
 */
export function createRedisBoardCounter({ commands, prefix, timeoutMs = 1000 }: RedisBoardCounterOptions): BoardCounter {
  const KEYS = [`${prefix}{board}:count`, `${prefix}{board}:version`, `${prefix}{board}:last`];
  const snapshotOf = (count: unknown, version: unknown, last: unknown): BoardSnapshot => {
    let lastBy: string | null = null;
    let lastAt: number | null = null;
    if (typeof last === 'string') {
      const parsed: unknown = JSON.parse(last);
      const who = (parsed as { by?: unknown } | null)?.by;
      const when = (parsed as { at?: unknown } | null)?.at;
      if (typeof who === 'string' && typeof when === 'number') [lastBy, lastAt] = [who, when];
    }
    return { board: { count: Number(count ?? 0), lastBy, lastAt }, version: Number(version ?? 0) };
  };
  const change = async (mode: 'set' | 'add', value: number, who: string, at: number): Promise<BoardSnapshot> => {
    const last = JSON.stringify({ by: who, at });
    // EVAL with the source every time: Redis caches the compiled script by its SHA, and a demo counter's
    // few hundred bytes per change cost nothing worth a NOSCRIPT fallback.
    const reply = await bounded(commands.eval(CHANGE, { keys: KEYS, arguments: [mode, String(value), last] }), timeoutMs);
    const [count, version] = Array.isArray(reply) ? reply : [];
    return snapshotOf(count, version, last);
  };
  return {
    async read() {
      const [count, version, last] = await bounded(commands.mGet(KEYS), timeoutMs);
      return snapshotOf(count, version, last);
    },
    bump: (by, who, at) => change('add', by, who, at),
    reset: (who, at) => change('set', 0, who, at),
  };
}

/**
 * The counter for this deployment: Redis when the node has one (SESSION_STORE=redis), else memory.
 * @example createBoardView({ clock, counter: createBoardCounter(stores.redis) });
 */
export function createBoardCounter(redis?: { commands: RedisCommands; prefix: string }): BoardCounter {
  return redis ? createRedisBoardCounter(redis) : createMemoryBoardCounter();
}
