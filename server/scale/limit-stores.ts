// Counters for rate limits: express-rate-limit's MemoryStore on one node, or any shared Store (Redis) across nodes.
import { MemoryStore, type ClientRateLimitInfo, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { bounded } from '../sessions/bounded.js';

/** A limit's counter store could not be reached: the request answers 503 (the error handler maps the code). */
export class LimitStoreUnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(cause: unknown) {
    super('the rate-limit store is unavailable', { cause });
    this.name = 'LimitStoreUnavailableError';
  }
}

export interface LimitStores {
  /** True when counts are shared by every node (Redis). */
  readonly shared: boolean;
  /**
   * A new store for one limit, named for its keys (`login-failures` → `<REDIS_PREFIX>rl:login-failures:`).
   * Each limiter needs its own (express-rate-limit refuses a shared instance).
   */
  create(name: string): Store;
  /** Stops the memory stores' sweep timers. */
  close(): Promise<void>;
}

export interface LimitStoresOptions {
  /** Makes the shared counter store of one limit (see redis-limit-stores.ts); without it, counts are per node. */
  shared?: (name: string) => Store;
  /** Longest a counter call may take before the request gives up with 503. */
  timeoutMs?: number;
}

/**
 * @example const limits = createLimitStores(); rateLimit({ store: limits.create('register') });
 */
export function createLimitStores({ shared, timeoutMs = 1000 }: LimitStoresOptions = {}): LimitStores {
  const created: Store[] = [];
  return {
    shared: shared !== undefined,
    create(name) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`createLimitStores: bad store name ${name}`);
      const inner: Store = shared ? shared(name) : new MemoryStore();
      const store = new GuardedStore(inner, timeoutMs);
      created.push(store);
      return store;
    },
    async close() {
      await Promise.allSettled(created.map((store) => store.shutdown?.()));
    },
  };
}

/**
 * A store whose calls are bounded in time and fail with one error type. It also repeats `init`
 * after a failure: RedisStore keeps the promise of its script load, so a load that failed while
 * Redis was down would otherwise fail every later call, after Redis is back too.
 */
class GuardedStore implements Store {
  readonly localKeys: boolean;
  readonly #inner: Store;
  readonly #timeoutMs: number;
  #options: Options | undefined;
  #ready: Promise<void> | undefined;

  constructor(inner: Store, timeoutMs: number) {
    this.#inner = inner;
    this.#timeoutMs = timeoutMs;
    this.localKeys = inner.localKeys ?? false;
  }

  init(options: Options): void {
    this.#options = options;
    this.#ready = undefined;
  }

  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.#call(async () => {
      const info = await this.#inner.get?.(key);
      // RedisStore reads a missing key as NaN hits (node-redis answers its Lua `false` as null):
      // no count. MemoryStore hands out its own mutable record: copy it.
      return info && Number.isFinite(info.totalHits) ? { totalHits: info.totalHits, resetTime: info.resetTime } : undefined;
    });
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.#call(async () => {
      const { totalHits, resetTime } = await this.#inner.increment(key);
      return { totalHits, resetTime };
    });
  }

  decrement(key: string): Promise<void> {
    return this.#call(async () => this.#inner.decrement(key));
  }

  resetKey(key: string): Promise<void> {
    return this.#call(async () => this.#inner.resetKey(key));
  }

  async shutdown(): Promise<void> {
    await this.#inner.shutdown?.();
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      this.#ready ??= Promise.resolve(this.#options ? this.#inner.init?.(this.#options) : undefined);
      await bounded(this.#ready, this.#timeoutMs);
      return await bounded(run(), this.#timeoutMs);
    } catch (error) {
      this.#ready = undefined;
      throw new LimitStoreUnavailableError(error);
    }
  }
}

/**
 * The minimum of express-rate-limit's options that a store's `init` reads (the window), for a
 * store used directly rather than through `rateLimit()`.
 * @example store.init?.(storeOptions(15 * 60_000));
 */
export function storeOptions(windowMs: number): Options {
  // MemoryStore and RedisStore read only `windowMs`; the rest belongs to the middleware.
  return { windowMs } as Options;
}
