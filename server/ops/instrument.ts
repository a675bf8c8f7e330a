// Times every session-store and registry call (Redis round trips with SESSION_STORE=redis) for metrics.
import { performance } from 'node:perf_hooks';
import type { SessionRegistry } from '../sessions/registry.js';
import type { SessionStore } from '../sessions/store.js';
import type { MetricsHooks } from './hooks.js';

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
 * The same store with its core-facing calls timed (`store.get`, `store.update`, …). `express` and
 * `tombstones` are the store's own: express-session's calls are timed through `get`/`update`
 * only where the core makes them.
 * @example const store = instrumentStore(stores.store, metrics);
 */
export function instrumentStore(store: SessionStore, hooks: MetricsHooks): SessionStore {
  return {
    express: store.express,
    tombstones: store.tombstones,
    get: (sid) => timed(hooks, 'store.get', () => store.get(sid)),
    update: (sid, patch) => timed(hooks, 'store.update', () => store.update(sid, patch)),
    create: (sid, data) => timed(hooks, 'store.create', () => store.create(sid, data)),
    destroy: (sid, reason) => timed(hooks, 'store.destroy', () => store.destroy(sid, reason)),
    ping: () => timed(hooks, 'store.ping', () => store.ping()),
    close: () => store.close(),
  };
}

/**
 * @example const registry = instrumentRegistry(stores.registry, metrics);
 */
export function instrumentRegistry(registry: SessionRegistry, hooks: MetricsHooks): SessionRegistry {
  return {
    add: (entry) => timed(hooks, 'registry.add', () => registry.add(entry)),
    list: (userId) => timed(hooks, 'registry.list', () => registry.list(userId)),
    byHandle: (handle) => timed(hooks, 'registry.byHandle', () => registry.byHandle(handle)),
    bySession: (sid) => timed(hooks, 'registry.bySession', () => registry.bySession(sid)),
    rename: (handle, sid) => timed(hooks, 'registry.rename', () => registry.rename(handle, sid)),
    remove: (handle) => timed(hooks, 'registry.remove', () => registry.remove(handle)),
    close: () => registry.close(),
  };
}
