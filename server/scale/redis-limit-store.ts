// Rate-limit counters in Redis (rate-limit-redis), shared by every node; loaded only when Redis is configured.
import type { Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { bounded } from './bounded.js';
import type { RedisClient } from './redis-client.js';

export interface RedisLimitStoreOptions {
  /** The command connection (fails fast while Redis is down). */
  client: RedisClient;
  /** Key prefix of the deployment: a limit's keys are `<prefix>rl:<name>:…`. */
  prefix: string;
  /** Longest a Redis command may take. */
  timeoutMs?: number;
}

/**
 * The `sharedStore` factory of createLimitStores for Redis.
 * @example const limits = createLimitStores({ sharedStore: redisLimitStore({ client, prefix: 'tether:' }) });
 */
export function redisLimitStore({ client, prefix, timeoutMs = 1000 }: RedisLimitStoreOptions): (name: string) => Store {
  return (name) =>
    new RedisStore({
      prefix: `${prefix}rl:${name}:`,
      // node-redis replies are the RESP values rate-limit-redis expects (strings, numbers, arrays of them).
      sendCommand: (...args: string[]) => bounded(client.sendCommand(args), timeoutMs) as Promise<RedisReply>,
    });
}
