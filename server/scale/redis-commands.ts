// The few Redis commands the store and the registry send, over one Redis or a Redis Cluster alike.
import type { RedisClient, RedisCluster } from './redis-types.js';

/** Keys and arguments of a script call. */
export interface ScriptCall {
  keys: string[];
  arguments: string[];
}

/**
 * What sessions and the registry need of Redis. In a cluster every call's keys must share one
 * slot: the keys module tags the ones that go together (`{<session ID>}`), and no script derives
 * a key from a value it reads.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  /** Keys of one slot only, in a cluster (hash-tagged together). */
  mGet(keys: string[]): Promise<Array<string | null>>;
  hGetAll(key: string): Promise<Record<string, string>>;
  sMembers(key: string): Promise<string[]>;
  sRem(key: string, members: string[]): Promise<number>;
  del(key: string): Promise<number>;
  incr(key: string): Promise<number>;
  zAdd(key: string, score: number, member: string): Promise<unknown>;
  zRem(key: string, member: string): Promise<number>;
  /** Members scored at most `max`, lowest first, with their scores. */
  zUpTo(key: string, max: number, count: number): Promise<Array<{ value: string; score: number }>>;
  evalSha(sha: string, call: ScriptCall): Promise<unknown>;
  eval(source: string, call: ScriptCall): Promise<unknown>;
  /** Any node (a cluster) or the server answers. */
  ping(): Promise<unknown>;
}

/**
 * @example const commands = clientCommands(await connectRedis({ url, log, role: 'commands', failFast: true }));
 */
export function clientCommands(client: RedisClient): RedisCommands {
  return {
    get: (key) => client.get(key),
    mGet: (keys) => client.mGet(keys),
    hGetAll: (key) => client.hGetAll(key),
    sMembers: (key) => client.sMembers(key),
    sRem: (key, members) => client.sRem(key, members),
    del: (key) => client.del(key),
    incr: (key) => client.incr(key),
    zAdd: (key, score, member) => client.zAdd(key, { score, value: member }),
    zRem: (key, member) => client.zRem(key, member),
    zUpTo: (key, max, count) => client.zRangeByScoreWithScores(key, '-inf', max, { LIMIT: { offset: 0, count } }),
    evalSha: (sha, call) => client.evalSha(sha, call),
    eval: (source, call) => client.eval(source, call),
    ping: () => client.ping(),
  };
}

/**
 * The same commands over a Redis Cluster: each is routed to the master of its first key's slot.
 * @example const commands = clusterCommands(await connectRedisCluster({ nodes, log, role: 'commands' }));
 */
export function clusterCommands(cluster: RedisCluster): RedisCommands {
  return {
    get: (key) => cluster.get(key),
    mGet: (keys) => cluster.mGet(keys),
    hGetAll: (key) => cluster.hGetAll(key),
    sMembers: (key) => cluster.sMembers(key),
    sRem: (key, members) => cluster.sRem(key, members),
    del: (key) => cluster.del(key),
    incr: (key) => cluster.incr(key),
    zAdd: (key, score, member) => cluster.zAdd(key, { score, value: member }),
    zRem: (key, member) => cluster.zRem(key, member),
    zUpTo: (key, max, count) => cluster.zRangeByScoreWithScores(key, '-inf', max, { LIMIT: { offset: 0, count } }),
    evalSha: (sha, call) => cluster.evalSha(sha, call),
    eval: (source, call) => cluster.eval(source, call),
    // No key: any master answers, which is what "Redis answers" means for a health check.
    ping: () => cluster.sendCommand(undefined, true, ['PING']),
  };
}
