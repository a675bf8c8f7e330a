// tether-session/sessions: the session lifecycle (no Express, no Socket.IO), its stores and types.
export { createSessionLifecycle, CredentialsChangedError, newCsrfToken, newSessionId, type SessionLifecycle, type SessionLifecycleOptions, type SessionSummary, type CredentialGuard, type KnownSession } from './lifecycle.js';
export type { LifecycleEventMap, SessionEnded, SessionRenewed, SessionStarted, SessionActive, Origin } from './lifecycle-events.js';
export type { AppData, SessionRecord, SessionStart } from './data.js';
export { createMemorySessionStore, type MemoryStoreOptions } from './memory-store.js';
export { StoreUnavailableError, mergeSession, patchFor, type SessionStore, type StoredSession, type SessionChanges, type SessionPatch } from './store.js';
export { createTombstones, type Tombstones, type TombstoneReason } from './tombstones.js';
export { createMemoryRegistry, newHandle, type RegistryEntry, type SessionRegistry, type MemoryRegistryOptions } from './registry.js';
export { systemClock, type Clock, type TimerHandle } from './clock.js';
export { silentLogger, type Logger } from './logger.js';
export { afterActivity, endsAt, isPast, startDeadlines, storeTtlMs, type Timeouts } from './deadline-math.js';
export { defaultBackoff, errorSummary, retryInBackground, type Backoff } from './retry.js';
export { readCookie, readSessionId, tokensEqual } from './cookie.js';
export { bounded, RedisTimeoutError } from './bounded.js';
export { countRefusals, noMetrics, type MetricsHooks, type HandshakeOutcome } from './metrics-hooks.js';
