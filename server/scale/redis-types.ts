// The node-redis connection types the Redis pieces pass around (one Redis, or a Redis Cluster).
import type { RedisClientType, RedisClusterType } from 'redis';

export type RedisClient = RedisClientType;
export type RedisCluster = RedisClusterType;
