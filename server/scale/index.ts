// tether-session/redis: sessions, the session registry, rate-limit counters and cross-node messages in Redis.
export { createRedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export { createRedisRegistry, type RedisRegistryOptions } from './redis-registry.js';
export { createTetherAdapter, AdapterUnavailableError, type TetherAdapterOptions } from './redis-adapter.js';
export { connectRedis, disconnectRedis, type RedisClient, type RedisClientOptions } from './redis-client.js';
export { DEADLINE_BUCKETS, redisKeys, type RedisKeys } from './keys.js';
export { createLimitStores, LimitStoreUnavailableError, storeOptions, type LimitStores, type LimitStoresOptions } from './limit-stores.js';
export { createRedisLimitStores } from './redis-limit-stores.js';
export { bounded, RedisTimeoutError } from '../sessions/index.js';
export { clientCommands, clusterCommands, type RedisCommands, type ScriptCall } from './redis-commands.js';
export { clusterNodes, clusterSendCommand, connectRedisCluster, disconnectRedisCluster, type RedisCluster, type RedisClusterConnectOptions } from './redis-cluster.js';
export { createShardedTetherAdapter, type ShardedAdapterOptions } from './sharded-adapter.js';
export { createShardedEmitter, type ShardedEmitter } from './sharded-messages.js';
export type { SendCommand } from './redis-limit-stores.js';
