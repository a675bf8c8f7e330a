// A stored session entry for store-level tests: signed in as ann, 30 s idle and 60 s absolute from `now`.
import type { StoredSession } from '../../server/sessions/index.js';

/** @example await store.create('s1', storedSession(Date.now(), { idleExpiresAt: now + 1500 })); */
export function storedSession(now: number, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    username: 'ann',
    handle: 'h',
    app: {},
    csrfToken: 't',
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: now + 30_000,
    absoluteExpiresAt: now + 60_000,
    userAgent: 'ua',
    ip: '127.0.0.1',
    userId: 'u1',
    ...overrides,
  };
}
