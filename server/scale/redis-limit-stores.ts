// Rate-limit counters every node shares: rate-limit-redis's RedisStore under REDIS_PREFIX.
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { bounded } from './bounded.js';
import { createLimitStores, type LimitStores } from './limit-stores.js';
import type { RedisClient } from './redis-client.js';

/**
 * @example const limits = createRedisLimitStores({ client, prefix: 'tether:' }); limits.create('login-failures');
 */
export function createRedisLimitStores({ client, prefix, timeoutMs = 1000 }: { client: RedisClient; prefix: string; timeoutMs?: number }): LimitStores {
  return createLimitStores({
    timeoutMs,
    shared: (name) =>
      new RedisStore({
        prefix: `${prefix}rl:${name}:`,
        // node-redis replies are the RESP values rate-limit-redis expects (strings, numbers, arrays of them).
        sendCommand: (...args: string[]) => bounded(client.sendCommand(args), timeoutMs) as Promise<RedisReply>,
      }),
  });
}
