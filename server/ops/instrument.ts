// Times every session-store and registry call (Redis round trips with SESSION_STORE=redis) for metrics.
import { performance } from 'node:perf_hooks';
import type { SessionRegistry } from '../sessions/index.js';
import type { SessionStore } from '../sessions/index.js';
import type { MetricsHooks } from '../sessions/index.js';

/** Runs `call`, reporting its duration and whether it threw to `hooks.storeCall(op, …)`. */
async function timed<T>(hooks: MetricsHooks, op: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const value = await call();
    hooks.storeCall(op, performance.now() - started, false);
    return value;
  } catch (error) {
    hooks.storeCall(op, performance.now() - started, true);
    throw error;
  }
}

/**
 * The same object with the named async methods timed as `<label>.<method>`; every other member is
 * its own (bound), so optional members (a store's `onVanished`, `count`) stay as they are.
 */
function timedView<T extends object>(target: T, label: string, methods: readonly string[], hooks: MetricsHooks): T {
  const names = new Set(methods);
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(obj);
      if (typeof prop !== 'string' || !names.has(prop)) return bound;
      return (...args: unknown[]) => timed(hooks, `${label}.${prop}`, async () => bound(...args));
    },
  });
}

/**
 * The same store with its lifecycle-facing calls timed (`store.get`, `store.update`, …): with
 * SESSION_STORE=redis these are the session round trips to Redis.
 * @example const store = instrumentStore(stores.store, metrics);
 */
export function instrumentStore(store: SessionStore, hooks: MetricsHooks): SessionStore {
  return timedView(store, 'store', ['get', 'update', 'create', 'destroy', 'epoch', 'bumpEpoch', 'ping'], hooks);
}

/**
 * @example const registry = instrumentRegistry(stores.registry, metrics);
 */
export function instrumentRegistry(registry: SessionRegistry, hooks: MetricsHooks): SessionRegistry {
  return timedView(registry, 'registry', ['add', 'list', 'byHandle', 'bySession', 'rename', 'remove'], hooks);
}
