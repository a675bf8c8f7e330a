// The expiry sweep: one sweep per period, never two at once, and the index score that tells which deadline passed.
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../server/log.js';
import { deadlineScore, dueScore, firstDeadline, scoredDeadline } from '../../server/scale/deadline-index.js';
import { createExpirySweep } from '../../server/sessions/expiry-sweep.js';
import type { DueSession } from '../../server/sessions/store.js';
import { createManualClock } from '../../server/testing/manual-clock.js';

const log = createLogger('silent');
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('the expiry sweep', () => {
  it('asks for due sessions once per period and ends each of them', async () => {
    const clock = createManualClock(0);
    const due = vi.fn(async (now: number): Promise<DueSession[]> => (now >= 10_000 ? [{ sessionId: 's1', deadline: 'idle' }] : []));
    const expire = vi.fn(async () => true);
    const sweep = createExpirySweep({ clock, log, everyMs: 5000, due, expire });
    clock.advance(5000);
    await flush();
    expect(due).toHaveBeenCalledTimes(1);
    expect(expire).not.toHaveBeenCalled();
    clock.advance(5000);
    await flush();
    expect(due).toHaveBeenCalledTimes(2);
    expect(expire).toHaveBeenCalledWith('s1', 'idle');
    sweep.close();
    clock.advance(60_000);
    expect(due).toHaveBeenCalledTimes(2);
  });

  it('when a sweep is slow, the next waits for it (sweeps never pile up)', async () => {
    const clock = createManualClock(0);
    let release = (): void => {};
    const due = vi.fn(() => new Promise<DueSession[]>((resolve) => (release = () => resolve([]))));
    const sweep = createExpirySweep({ clock, log, everyMs: 1000, due, expire: async () => true });
    clock.advance(10_000);
    expect(due).toHaveBeenCalledTimes(1);
    release();
    await flush();
    clock.advance(1000);
    expect(due).toHaveBeenCalledTimes(2);
    sweep.close();
  });

  it('a period that is not a positive number is refused at creation, by name', () => {
    for (const everyMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createExpirySweep({ clock: createManualClock(0), log, everyMs, due: async () => [], expire: async () => true })).toThrow(/^sweepEveryMs must be a positive number/);
    }
  });

  it('when the store fails, it logs and sweeps again next period', async () => {
    const clock = createManualClock(0);
    const due = vi.fn(async (): Promise<DueSession[]> => {
      throw new Error('redis down');
    });
    const sweep = createExpirySweep({ clock, log, everyMs: 1000, due, expire: async () => true });
    clock.advance(1000);
    await flush();
    clock.advance(1000);
    await flush();
    expect(due).toHaveBeenCalledTimes(2);
    sweep.close();
  });
});

describe('the deadline index score', () => {
  const now = Date.now();
  it('says idle when the idle deadline comes first, absolute when the absolute one does', () => {
    expect(scoredDeadline(deadlineScore({ idleExpiresAt: now + 10, absoluteExpiresAt: now + 20 }))).toBe('idle');
    expect(scoredDeadline(deadlineScore({ idleExpiresAt: now + 30, absoluteExpiresAt: now + 20 }))).toBe('absolute');
    expect(firstDeadline({ idleExpiresAt: now + 20, absoluteExpiresAt: now + 20 })).toBe('absolute');
  });
  it('is due exactly from the earlier deadline on, for either kind', () => {
    const idle = deadlineScore({ idleExpiresAt: now + 10, absoluteExpiresAt: now + 20 });
    const absolute = deadlineScore({ idleExpiresAt: now + 30, absoluteExpiresAt: now + 20 });
    expect([idle <= dueScore(now + 9), idle <= dueScore(now + 10)]).toEqual([false, true]);
    expect([absolute <= dueScore(now + 19), absolute <= dueScore(now + 20)]).toEqual([false, true]);
  });
});
