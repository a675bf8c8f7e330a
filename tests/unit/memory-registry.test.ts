import { describe, expect, it } from 'vitest';
import { createMemoryRegistry, type RegistryEntry } from '../../server/sessions/registry.js';

const entry = (handle: string, createdAt: number, userId = 'u1'): RegistryEntry => ({ handle, sessionId: `sid-${handle}`, userId, createdAt, userAgent: 'ua', ip: '::1' });

describe('the in-memory session registry', () => {
  it('lists, finds and renames entries by handle and session', async () => {
    const r = createMemoryRegistry();
    await r.add(entry('a', 1));
    await r.add(entry('b', 2));
    await r.add(entry('c', 3, 'u2'));
    expect((await r.list('u1')).map((e) => e.handle)).toEqual(['a', 'b']);
    await r.rename('a', 'sid-new');
    expect((await r.bySession('sid-new'))?.handle).toBe('a');
    expect(await r.bySession('sid-a')).toBeNull();
    await r.remove('b');
    expect((await r.list('u1')).map((e) => e.handle)).toEqual(['a']);
    expect(r.size).toBe(2);
  });

  it('drops entries of sessions that ended silently once the absolute timeout has passed', async () => {
    let now = 0;
    const r = createMemoryRegistry({ now: () => now, absoluteTimeoutMs: 100 });
    await r.add(entry('old1', 0));
    await r.add(entry('old2', 10));
    now = 50;
    await r.add(entry('live', 50));
    expect(r.size).toBe(3);
    now = 105;
    await r.add(entry('new', 105));
    expect((await r.list('u1')).map((e) => e.handle)).toEqual(['old2', 'live', 'new']);
    now = 160;
    await r.add(entry('newer', 160));
    expect((await r.list('u1')).map((e) => e.handle)).toEqual(['new', 'newer']);
    expect(r.size).toBe(2);
  });
});
