// The store never revives an ended session, and no write overwrites app data it did not change.
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../server/sessions/clock.js';
import { createMemorySessionStore } from '../../server/sessions/memory-store.js';
import type { StoredSession } from '../../server/sessions/store.js';

const data = (): StoredSession => ({
  csrfToken: 't',
  createdAt: 0,
  lastSeenAt: 0,
  idleExpiresAt: Date.now() + 60_000,
  absoluteExpiresAt: Date.now() + 120_000,
  userAgent: 'ua',
  ip: '::1',
  userId: 'u1',
  username: 'ann',
  handle: 'h1',
  app: {},
});

describe('when a session ID was destroyed', () => {
  it('a late create of it is refused and the session stays gone', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s1', data());
    await store.destroy('s1', 'logout');
    await expect(store.create('s1', data())).rejects.toThrow();
    expect(await store.get('s1')).toBeNull();
    await store.close();
  });
});

describe('when an update reads the session and a destroy lands before it writes', () => {
  it('the update returns null and does not re-create the entry', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s2', data());
    const updated = await store.update('s2', () => {
      void store.destroy('s2', 'revoked');
      return { lastSeenAt: 5 };
    });
    expect(updated).toBeNull();
    expect(await store.get('s2')).toBeNull();
    await store.close();
  });
});

describe('an update of a live session', () => {
  it('merges the patch and keeps the rest, app data key by key', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s3', { ...data(), app: { theme: 'dark', other: 1 } });
    await store.update('s3', { app: { other: 2 } });
    const updated = await store.update('s3', { lastSeenAt: 42 });
    expect(updated).toMatchObject({ lastSeenAt: 42, userId: 'u1', csrfToken: 't', app: { theme: 'dark', other: 2 } });
    expect(await store.get('s3')).toMatchObject({ lastSeenAt: 42, app: { theme: 'dark', other: 2 } });
    expect(await store.update('missing', { lastSeenAt: 1 })).toBeNull();
    await store.close();
  });
});

describe('the store entry lifetime', () => {
  it('is the idle deadline: memorystore drops it when that passes, and reports it as vanished', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
      const vanished: string[] = [];
      store.onVanished?.((sid) => vanished.push(sid));
      await store.create('s4', { ...data(), idleExpiresAt: Date.now() + 30_000 });
      vi.advanceTimersByTime(29_000);
      expect(await store.get('s4')).not.toBeNull();
      vi.advanceTimersByTime(1_001);
      expect(await store.get('s4')).toBeNull();
      await Promise.resolve();
      expect(vanished).toEqual(['s4']);
      await store.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
