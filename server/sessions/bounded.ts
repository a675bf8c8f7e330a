// A promise with a deadline: Redis and counter calls never wait longer than their bound.

/** A Redis call that took longer than its bound. */
export class RedisTimeoutError extends Error {
  readonly code = 'redis_timeout';
  constructor(ms: number) {
    super(`redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Rejects when `call` has not settled within `ms`. node-redis bounds a command only until it is
 * written (its `timeout` option): a command already sent to a Redis that hangs (paused, or a
 * network that drops packets without resetting the connection) waits for a reply indefinitely.
 * The command stays queued in the client, answered or failed once the connection recovers or
 * drops; only the caller stops waiting.
 * @example const raw = await bounded(client.get(key), 1000);
 */
export function bounded<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}
