// Rate-limit counters every node shares: rate-limit-redis's RedisStore under REDIS_PREFIX.
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { bounded } from '../sessions/bounded.js';
import { createLimitStores, type LimitStores } from './limit-stores.js';
/** Sends one raw command (`client.sendCommand` of one Redis; a router over a cluster: `clusterSendCommand`). */
export type SendCommand = (args: string[]) => Promise<unknown>;

/**
 * @example const limits = createRedisLimitStores({ send: (args) => client.sendCommand(args), prefix: 'tether:' }); limits.create('login-failures');
 */
export function createRedisLimitStores({ send, prefix, timeoutMs = 1000 }: { send: SendCommand; prefix: string; timeoutMs?: number }): LimitStores {
  return createLimitStores({
    timeoutMs,
    shared: (name) =>
      new RedisStore({
        prefix: `${prefix}rl:${name}:`,
        // node-redis replies are the RESP values rate-limit-redis expects (strings, numbers, arrays of them).
        sendCommand: (...args: string[]) => bounded(send(args), timeoutMs) as Promise<RedisReply>,
      }),
  });
}
