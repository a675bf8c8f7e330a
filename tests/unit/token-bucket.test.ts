import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../server/socketio/token-bucket.js';

describe('a token bucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3, now: () => now });
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});
