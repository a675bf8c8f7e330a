// Redis key names: a session's two keys share one hash tag; the deadline index is spread over buckets.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEADLINE_BUCKETS, redisKeys } from '../../server/scale/index.js';

describe('the deadline index of a Redis store', () => {
  const keys = redisKeys('tether:');

  it('puts a session ID in the same bucket every time, on every node', () => {
    const sid = 'Mkqvi_O2pW7WgZnqfjcyFlHc-wabJQoP';
    expect(keys.deadlines(sid)).toBe(redisKeys('tether:').deadlines(sid));
    expect(keys.deadlineBuckets).toContain(keys.deadlines(sid));
  });

  it('spreads many sessions over all of its buckets, none with more than twice its share', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i += 1) {
      const key = keys.deadlines(randomBytes(24).toString('base64url'));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...keys.deadlineBuckets].sort());
    expect(Math.max(...counts.values())).toBeLessThan((2 * 4000) / DEADLINE_BUCKETS);
  });

  it('keeps a session’s entry and tombstone in one Redis Cluster slot (one hash tag)', () => {
    const tag = (key: string): string | undefined => /\{([^}]+)\}/.exec(key)?.[1];
    expect(tag(keys.session('abc'))).toBe('abc');
    expect(tag(keys.tombstone('abc'))).toBe('abc');
  });
});
