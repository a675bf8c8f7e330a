import { describe, expect, it } from 'vitest';
import { afterActivity, endsAt, isPast, startDeadlines, storeTtlMs } from '../../server/sessions/deadline-math.js';

const t = { idleTimeoutMs: 1000, absoluteTimeoutMs: 5000 };

describe('session deadlines', () => {
  it('start at now + idle and now + absolute', () => {
    expect(startDeadlines(100, t)).toEqual({ idleExpiresAt: 1100, absoluteExpiresAt: 5100 });
  });
  it('activity moves only the idle deadline', () => {
    expect(afterActivity({ idleExpiresAt: 1100, absoluteExpiresAt: 5100 }, 900, t)).toEqual({ idleExpiresAt: 1900, absoluteExpiresAt: 5100 });
  });
  it('activity never moves the idle deadline backwards', () => {
    expect(afterActivity({ idleExpiresAt: 9000, absoluteExpiresAt: 9100 }, 10, t).idleExpiresAt).toBe(9000);
  });
  it('the earlier deadline decides, including an idle timeout longer than the absolute one', () => {
    expect(endsAt({ idleExpiresAt: 10_000, absoluteExpiresAt: 5000 })).toBe(5000);
    expect(isPast({ idleExpiresAt: 10_000, absoluteExpiresAt: 5000 }, 5000)).toBe(true);
    expect(isPast({ idleExpiresAt: 10_000, absoluteExpiresAt: 5000 }, 4999)).toBe(false);
  });
  it('the store entry lives until the earlier deadline, at least 1 ms', () => {
    expect(storeTtlMs({ idleExpiresAt: 1100, absoluteExpiresAt: 5100 }, 100)).toBe(1000);
    expect(storeTtlMs({ idleExpiresAt: 1100, absoluteExpiresAt: 5100 }, 2000)).toBe(1);
  });
});
