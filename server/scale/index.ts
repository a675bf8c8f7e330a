// tether-session/redis: sessions, the session registry, rate-limit counters and cross-node messages in Redis.
export { createRedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export { createRedisRegistry, type RedisRegistryOptions } from './redis-registry.js';
export { createTetherAdapter, AdapterUnavailableError, type TetherAdapterOptions } from './redis-adapter.js';
export { connectRedis, disconnectRedis, type RedisClient, type RedisClientOptions } from './redis-client.js';
export { redisKeys, type RedisKeys } from './keys.js';
export { createLimitStores, LimitStoreUnavailableError, storeOptions, type LimitStores, type LimitStoresOptions } from './limit-stores.js';
export { createRedisLimitStores } from './redis-limit-stores.js';
export { bounded, RedisTimeoutError } from './bounded.js';
