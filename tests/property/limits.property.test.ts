// Properties of the rate limits and of reading the session cookie: bounded, exact, total.
import fc from 'fast-check';
import signature from 'cookie-signature';
import { describe, expect, it } from 'vitest';
import { readSessionId, tokensEqual } from '../../server/sessions/cookie.js';
import { createKeyedBuckets, createTokenBucket } from '../../server/socketio/token-bucket.js';

const rateArb = fc.integer({ min: 1, max: 100 });
const burstArb = fc.integer({ min: 1, max: 200 });
/** Time steps between takes, in ms; negative ones are a clock stepping back. */
const stepsArb = fc.array(fc.integer({ min: -5_000, max: 2_000 }), { maxLength: 300 });

describe('a token bucket', () => {
  it('never grants more than the burst plus the rate times the time that really passed, even if the clock steps back', () => {
    fc.assert(
      fc.property(rateArb, burstArb, stepsArb, (rate, burst, steps) => {
        let now = 1_000_000;
        let latest = now;
        const start = now;
        const bucket = createTokenBucket({ ratePerSecond: rate, burst, now: () => now });
        let granted = 0;
        for (const step of steps) {
          now += step;
          latest = Math.max(latest, now);
          if (bucket.take()) granted += 1;
        }
        expect(granted).toBeLessThanOrEqual(burst + Math.floor(((latest - start) / 1000) * rate));
      }),
    );
  });

  it('after a quiet spell long enough to refill, grants exactly the burst at once, then refuses', () => {
    fc.assert(
      fc.property(rateArb, burstArb, stepsArb, (rate, burst, steps) => {
        let now = 0;
        const bucket = createTokenBucket({ ratePerSecond: rate, burst, now: () => now });
        for (const step of steps) {
          now += Math.abs(step);
          bucket.take();
        }
        now += Math.ceil((burst / rate) * 1000) + 1;
        const grants = Array.from({ length: burst + 1 }, () => bucket.take());
        expect(grants).toEqual([...Array(burst).fill(true), false]);
      }),
    );
  });
});

describe('keyed token buckets (per client address)', () => {
  const keyArb = fc.constantFrom(...Array.from({ length: 30 }, (_, i) => `10.0.0.${i}`));

  it('hold at most maxKeys buckets, however many addresses arrive', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.tuple(fc.ipV4(), fc.nat({ max: 50 })), { maxLength: 400 }), (maxKeys, takes) => {
        let now = 0;
        const buckets = createKeyedBuckets({ ratePerSecond: 1, burst: 3, now: () => now, maxKeys });
        for (const [ip, dt] of takes) {
          now += dt;
          buckets.take(ip);
          expect(buckets.size).toBeLessThanOrEqual(maxKeys);
        }
      }),
    );
  });

  it('behave exactly like one independent bucket per address while the addresses fit', () => {
    fc.assert(
      fc.property(rateArb, burstArb, fc.array(fc.tuple(keyArb, fc.nat({ max: 300 })), { maxLength: 300 }), (rate, burst, takes) => {
        let now = 0;
        const keyed = createKeyedBuckets({ ratePerSecond: rate, burst, now: () => now, maxKeys: 100 });
        const single = new Map<string, ReturnType<typeof createTokenBucket>>();
        for (const [key, dt] of takes) {
          now += dt;
          if (!single.has(key)) single.set(key, createTokenBucket({ ratePerSecond: rate, burst, now: () => now }));
          expect(keyed.take(key)).toBe(single.get(key)!.take());
        }
      }),
    );
  });
});

describe('reading the session ID from a Cookie header', () => {
  const secret = 'the-signing-secret-0123456789';
  const sidArb = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
  const otherCookie = fc
    .tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,10}$/), fc.stringMatching(/^[A-Za-z0-9%._-]{0,30}$/))
    .filter(([name]) => name !== 'sid')
    .map(([name, value]) => `${name}=${value}`);

  it('never throws, whatever the header', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 500 }), { nil: undefined }), (header) => {
        const sid = readSessionId(header, 'sid', [secret]);
        expect(sid === null || typeof sid === 'string').toBe(true);
      }),
    );
  });

  it('finds a signed ID among any other cookies, and only with a secret that signed it', () => {
    fc.assert(
      fc.property(sidArb, fc.array(otherCookie, { maxLength: 5 }), fc.array(otherCookie, { maxLength: 5 }), (sid, before, after) => {
        const value = encodeURIComponent(`s:${signature.sign(sid, secret)}`);
        const header = [...before, `sid=${value}`, ...after].join('; ');
        expect(readSessionId(header, 'sid', ['another-secret-0123456789', secret])).toBe(sid);
        expect(readSessionId(header, 'sid', ['another-secret-0123456789'])).toBeNull();
        // A tampered ID under the same signature is refused.
        const tampered = encodeURIComponent(`s:${sid}x.${signature.sign(sid, secret).split('.')[1]}`);
        expect(readSessionId(`sid=${tampered}`, 'sid', [secret])).toBeNull();
      }),
    );
  });

  it('compares tokens exactly, for any pair of values', () => {
    fc.assert(
      fc.property(fc.string(), fc.anything(), (a, b) => {
        expect(tokensEqual(a, b)).toBe(typeof b === 'string' && a === b);
        expect(tokensEqual(a, a)).toBe(true);
      }),
    );
  });
});
