// Pushed expiry: a timer per session at its next deadline, the store read once when it fires.
import { describe, expect, it, vi } from 'vitest';
import type { Deadlines } from '../../shared/events.js';
import { createLogger } from '../../server/log.js';
import { createDeadlineTimers } from '../../server/sessions/deadlines.js';
import { createManualClock } from '../../server/testing/manual-clock.js';

const log = createLogger('silent');
const flush = () => new Promise<void>((r) => setImmediate(r));

function setup(stored: () => Deadlines | null | Error) {
  const clock = createManualClock(0);
  const expire = vi.fn<(sid: string) => void>();
  const read = vi.fn(async () => {
    const value = stored();
    if (value instanceof Error) throw value;
    return value;
  });
  const timers = createDeadlineTimers({ clock, log, read, expire, backoff: () => 500 });
  return { clock, expire, read, timers };
}

describe('a session with open sockets', () => {
  it('expires when its idle deadline passes and the store agrees', async () => {
    const d = { idleExpiresAt: 1000, absoluteExpiresAt: 5000 };
    const { clock, expire, read, timers } = setup(() => d);
    timers.watch('s', d);
    clock.advance(999);
    await flush();
    expect(read).not.toHaveBeenCalled();
    clock.advance(1);
    await flush();
    expect(read).toHaveBeenCalledTimes(1);
    expect(expire).toHaveBeenCalledWith('s', expect.anything());
  });

  it('reschedules instead when another node saw activity (the store has a later deadline)', async () => {
    let stored = { idleExpiresAt: 1000, absoluteExpiresAt: 5000 };
    const { clock, expire, read, timers } = setup(() => stored);
    timers.watch('s', stored);
    stored = { idleExpiresAt: 2500, absoluteExpiresAt: 5000 };
    clock.advance(1000);
    await flush();
    expect(expire).not.toHaveBeenCalled();
    clock.advance(1499);
    await flush();
    expect(expire).not.toHaveBeenCalled();
    clock.advance(1);
    await flush();
    expect(expire).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('never polls: no store read before a deadline, however long it is', async () => {
    const d = { idleExpiresAt: 3_600_000, absoluteExpiresAt: 8 * 3_600_000 };
    const { clock, read, timers } = setup(() => d);
    timers.watch('s', d);
    clock.advance(3_599_999);
    await flush();
    expect(read).not.toHaveBeenCalled();
  });

  it('the absolute deadline ends it despite activity', async () => {
    let stored = { idleExpiresAt: 1000, absoluteExpiresAt: 3000 };
    const { clock, expire, timers } = setup(() => stored);
    timers.watch('s', stored);
    for (let t = 0; t < 3; t++) {
      stored = { idleExpiresAt: clock.now() + 1000 + 900, absoluteExpiresAt: 3000 };
      clock.advance(900);
      await flush();
    }
    clock.advance(3000 - clock.now());
    await flush();
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('when the entry is already gone and the deadline passed, it expires (the store TTL did it)', async () => {
    const { clock, expire, timers } = setup(() => null);
    timers.watch('s', { idleExpiresAt: 100, absoluteExpiresAt: 500 });
    clock.advance(100);
    await flush();
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('when the store is down it retries, but the absolute deadline ends it regardless', async () => {
    const { clock, expire, read, timers } = setup(() => new Error('down'));
    timers.watch('s', { idleExpiresAt: 100, absoluteExpiresAt: 1000 });
    clock.advance(100);
    await flush();
    expect(expire).not.toHaveBeenCalled();
    clock.advance(500);
    await flush();
    expect(read).toHaveBeenCalledTimes(2);
    clock.advance(400);
    await flush();
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('unwatch cancels the timer (the last socket left)', async () => {
    const d = { idleExpiresAt: 100, absoluteExpiresAt: 500 };
    const { clock, expire, read, timers } = setup(() => d);
    timers.watch('s', d);
    timers.unwatch('s');
    clock.advance(1000);
    await flush();
    expect(read).not.toHaveBeenCalled();
    expect(expire).not.toHaveBeenCalled();
    expect(timers.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('a store read that returns after the timer moved does not act on the old state', async () => {
    let release: (d: Deadlines) => void = () => {};
    const clock = createManualClock(0);
    const expire = vi.fn();
    const read = vi.fn(() => new Promise<Deadlines>((r) => (release = r)));
    const timers = createDeadlineTimers({ clock, log, read, expire });
    timers.watch('s', { idleExpiresAt: 100, absoluteExpiresAt: 500 });
    clock.advance(100);
    timers.watch('s', { idleExpiresAt: 400, absoluteExpiresAt: 500 });
    release({ idleExpiresAt: 100, absoluteExpiresAt: 500 });
    await flush();
    expect(expire).not.toHaveBeenCalled();
  });
});

describe('many sessions', () => {
  it('share one Node timer, armed for the earliest due check', async () => {
    const clock = createManualClock(0);
    const expire = vi.fn<(sid: string) => void>();
    const deadlines = new Map<string, Deadlines>();
    const timers = createDeadlineTimers({ clock, log, read: async (sid) => deadlines.get(sid) ?? null, expire });
    for (let i = 0; i < 1000; i++) {
      const d = { idleExpiresAt: 1000 + i, absoluteExpiresAt: 10_000 };
      deadlines.set(`s${i}`, d);
      timers.watch(`s${i}`, d);
    }
    expect(clock.pending).toBe(1);
    clock.advance(1499);
    await flush();
    expect(expire).toHaveBeenCalledTimes(500);
    expect(expire.mock.calls.map(([sid]) => sid)).toEqual(Array.from({ length: 500 }, (_, i) => `s${i}`));
    expect(clock.pending).toBe(1);
  });

  it('activity here moves the deadline without a store read or a new timer', async () => {
    const clock = createManualClock(0);
    const read = vi.fn(async () => null);
    const expire = vi.fn();
    const timers = createDeadlineTimers({ clock, log, read, expire });
    timers.watch('s', { idleExpiresAt: 1000, absoluteExpiresAt: 10_000 });
    timers.watch('s', { idleExpiresAt: 1800, absoluteExpiresAt: 10_000 });
    expect(clock.pending).toBe(1);
    clock.advance(1000);
    await flush();
    expect(read).not.toHaveBeenCalled();
    clock.advance(800);
    await flush();
    expect(read).toHaveBeenCalledTimes(1);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('unwatched sessions leave no timer and their stale entries are dropped', async () => {
    const clock = createManualClock(0);
    const read = vi.fn(async () => null);
    const timers = createDeadlineTimers({ clock, log, read, expire: vi.fn() });
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 10; i++) timers.watch(`s${i}`, { idleExpiresAt: 1000 + round, absoluteExpiresAt: 10_000 });
      for (let i = 0; i < 10; i++) timers.unwatch(`s${i}`);
    }
    expect(timers.size).toBe(0);
    expect(clock.pending).toBe(0);
    clock.advance(5000);
    await flush();
    expect(read).not.toHaveBeenCalled();
  });
});
