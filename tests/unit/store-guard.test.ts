// The store never revives an ended session: a save or update racing a destroy is dropped.
import session from 'express-session';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../server/clock.js';
import { createMemorySessionStore } from '../../server/sessions/memory-store.js';
import type { SessionData } from '../../server/sessions/data.js';

const data = (): SessionData =>
  ({ cookie: { originalMaxAge: null }, csrfToken: 't', createdAt: 0, lastSeenAt: 0, idleExpiresAt: Date.now() + 60_000, absoluteExpiresAt: Date.now() + 120_000, userAgent: 'ua', ip: '::1', userId: 'u1' }) as unknown as SessionData;

const set = (store: session.Store, sid: string, sess: SessionData) => new Promise<void>((resolve) => store.set(sid, sess as session.SessionData, () => resolve()));

describe('when express-session saves a session after it was destroyed', () => {
  it('the save is dropped and the session stays gone', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s1', data());
    await store.destroy('s1', 'logout');
    await set(store.express, 's1', data());
    expect(await store.get('s1')).toBeNull();
    await store.close();
  });
});

describe('when an update reads the session and a destroy lands before it writes', () => {
  it('the update returns null and does not re-create the entry', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s2', data());
    const inner = (store.express as unknown as { inner: session.Store }).inner;
    const get = inner.get.bind(inner);
    // Destroy between the update's read and its write.
    inner.get = (sid, cb) => get(sid, (err, sess) => void store.destroy(sid, 'revoked').then(() => cb(err, sess)));
    expect(await store.update('s2', { lastSeenAt: 5 })).toBeNull();
    inner.get = get;
    expect(await store.get('s2')).toBeNull();
    await store.close();
  });
});

describe('an update of a live session', () => {
  it('merges the patch and keeps the rest', async () => {
    const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
    await store.create('s3', data());
    const updated = await store.update('s3', { lastSeenAt: 42 });
    expect(updated).toMatchObject({ lastSeenAt: 42, userId: 'u1', csrfToken: 't' });
    expect(await store.get('s3')).toMatchObject({ lastSeenAt: 42 });
    expect(await store.update('missing', { lastSeenAt: 1 })).toBeNull();
    await store.close();
  });
});

describe('the store entry lifetime', () => {
  it('is the idle deadline: memorystore drops it when that passes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = createMemorySessionStore({ clock: systemClock, absoluteTimeoutMs: 60_000 });
      await store.create('s4', { ...data(), idleExpiresAt: Date.now() + 30_000 });
      vi.advanceTimersByTime(29_000);
      expect(await store.get('s4')).not.toBeNull();
      vi.advanceTimersByTime(1_001);
      expect(await store.get('s4')).toBeNull();
      await store.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
