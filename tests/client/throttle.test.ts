// The activity throttle: leading and trailing, one run per interval, on fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle, type Timers } from '../../client/toolkit/index.js';

const fakeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

describe('createThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('runs the first poke at once', () => {
    const run = vi.fn();
    createThrottle({ intervalMs: 60_000, run, timers: fakeTimers }).poke();
    expect(run).toHaveBeenCalledTimes(1);
  });

  describe('when the user keeps moving for five minutes', () => {
    it('runs at most once per interval, the last one for activity late in the last interval', () => {
      const run = vi.fn();
      const t = createThrottle({ intervalMs: 60_000, run, timers: fakeTimers });
      for (let s = 0; s < 300; s += 1) {
        t.poke();
        vi.advanceTimersByTime(1000);
      }
      // At 0 s (leading), then 60, 120, 180, 240 and 300 s (trailing: activity came meanwhile).
      expect(run).toHaveBeenCalledTimes(6);
      vi.advanceTimersByTime(10 * 60_000);
      expect(run).toHaveBeenCalledTimes(6); // nothing without activity: the page never polls
    });
  });

  it('keeps activity late in an interval (trailing run at its end)', () => {
    const run = vi.fn();
    const t = createThrottle({ intervalMs: 5000, run, timers: fakeTimers });
    t.poke();
    vi.advanceTimersByTime(4000);
    t.poke();
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(999);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runNow runs at once and restarts the interval, unless a run just happened', () => {
    const run = vi.fn();
    const t = createThrottle({ intervalMs: 5000, run, timers: fakeTimers });
    t.poke();
    t.runNow(1000);
    expect(run).toHaveBeenCalledTimes(1); // deduplicated: the click's pointerdown already touched
    vi.advanceTimersByTime(2000);
    t.poke(); // pending for the end of the interval
    t.runNow(1000);
    expect(run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(run).toHaveBeenCalledTimes(2); // the pending run was replaced, not added
  });

  it('cancel forgets a pending run', () => {
    const run = vi.fn();
    const t = createThrottle({ intervalMs: 5000, run, timers: fakeTimers });
    t.poke();
    t.poke();
    t.cancel();
    vi.advanceTimersByTime(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('refuses a useless interval at creation', () => {
    expect(() => createThrottle({ intervalMs: 0, run: () => {} })).toThrow('createThrottle: intervalMs must be > 0, got 0');
  });
});
