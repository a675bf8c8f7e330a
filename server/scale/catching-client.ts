// A view of a Redis connection whose fire-and-forget commands cannot become unhandled rejections.
import type { Logger } from '../sessions/logger.js';
import { errorSummary } from '../sessions/retry.js';

/**
 * The Socket.IO Redis adapters call some commands (publish, (un)subscribe) without awaiting or
 * catching them: with Redis down each would be an unhandled rejection, which ends a Node process.
 * This view of `client` catches the promises of the named `methods` and logs `message` (with
 * `fields`) at most once a second; every other member is the client's own.
 * @example const sub = catchingClient(cluster, new Set(['sSubscribe', 'sUnsubscribe']), log, 'redis cluster subscription failed', { role: 'subscriber' });
 */
export function catchingClient<T extends object>(client: T, methods: ReadonlySet<string>, log: Logger, message: string, fields: object = {}): T {
  let lastLog = 0;
  const report = (error: unknown): void => {
    if (Date.now() - lastLog < 1000) return;
    lastLog = Date.now();
    log.warn({ ...fields, err: errorSummary(error) }, message);
  };
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      if (typeof prop !== 'string' || !methods.has(prop)) return bound;
      return (...args: unknown[]) => {
        const result = bound(...args);
        return result instanceof Promise ? result.catch(report) : result;
      };
    },
  });
}
