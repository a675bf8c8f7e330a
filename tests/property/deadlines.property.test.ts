// Properties of the session deadline logic: the arithmetic, and the timers against a model of the store.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Deadlines } from '../../shared/events.js';
import { afterActivity, endsAt, isPast, startDeadlines, storeTtlMs, type Timeouts } from '../../server/sessions/deadline-math.js';
import { createDeadlineTimers } from '../../server/sessions/deadlines.js';
import { createLogger } from '../../server/log.js';
import { createManualClock } from '../../server/testing/manual-clock.js';

const HOUR = 3_600_000;
const timeoutsArb: fc.Arbitrary<Timeouts> = fc.record({ idleTimeoutMs: fc.integer({ min: 1, max: 24 * HOUR }), absoluteTimeoutMs: fc.integer({ min: 1, max: 24 * HOUR }) });
const instant = fc.integer({ min: 0, max: 2 ** 42 });

describe('deadline arithmetic', () => {
  it('activity never moves the absolute deadline, and never moves the idle deadline back', () => {
    fc.assert(
      fc.property(timeoutsArb, instant, fc.array(fc.nat({ max: 10 * HOUR }), { maxLength: 30 }), (t, start, gaps) => {
        let d = startDeadlines(start, t);
        let now = start;
        for (const gap of gaps) {
          now += gap;
          const next = afterActivity(d, now, t);
          expect(next.absoluteExpiresAt).toBe(d.absoluteExpiresAt);
          expect(next.idleExpiresAt).toBeGreaterThanOrEqual(d.idleExpiresAt);
          expect(next.idleExpiresAt).toBeGreaterThanOrEqual(now + t.idleTimeoutMs);
          d = next;
        }
        expect(d.absoluteExpiresAt).toBe(start + t.absoluteTimeoutMs);
      }),
    );
  });

  it('a session ends at the earlier deadline, whatever the order of the timeouts', () => {
    fc.assert(
      fc.property(timeoutsArb, instant, fc.integer({ min: -48 * HOUR, max: 48 * HOUR }), (t, start, offset) => {
        const d = startDeadlines(start, t);
        expect(endsAt(d)).toBe(start + Math.min(t.idleTimeoutMs, t.absoluteTimeoutMs));
        const now = endsAt(d) + offset;
        expect(isPast(d, now)).toBe(offset >= 0);
      }),
    );
  });

  it('no amount of activity keeps a session past its absolute deadline', () => {
    fc.assert(
      fc.property(timeoutsArb, instant, fc.array(fc.nat({ max: HOUR }), { maxLength: 50 }), (t, start, gaps) => {
        let d = startDeadlines(start, t);
        let now = start;
        for (const gap of gaps) {
          now += gap;
          if (isPast(d, now)) break;
          d = afterActivity(d, now, t);
        }
        expect(isPast(d, start + t.absoluteTimeoutMs)).toBe(true);
      }),
    );
  });

  it('the store entry lives exactly until the session ends (at least 1 ms), never past it', () => {
    fc.assert(
      fc.property(timeoutsArb, instant, fc.integer({ min: -48 * HOUR, max: 48 * HOUR }), (t, start, offset) => {
        const d = startDeadlines(start, t);
        const now = start + offset;
        const ttl = storeTtlMs(d, now);
        expect(ttl).toBeGreaterThanOrEqual(1);
        expect(ttl).toBe(isPast(d, now) ? 1 : endsAt(d) - now);
      }),
    );
  });
});

/** What can happen to a watched session between two looks at it. */
type Step =
  | { kind: 'advance'; ms: number }
  | { kind: 'activity here' }
  | { kind: 'activity on another node' }
  | { kind: 'store down' }
  | { kind: 'store up' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 120_000 }).map((ms): Step => ({ kind: 'advance', ms })) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'activity here' }) },
  { weight: 2, arbitrary: fc.constant<Step>({ kind: 'activity on another node' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'store down' }) },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'store up' }) },
);

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('deadline timers against a model of the store', () => {
  it('expire a session exactly once, never before its deadline, and by its deadline whenever the store can be read (by the absolute one even when it cannot)', async () => {
    const log = createLogger('silent');
    await fc.assert(
      fc.asyncProperty(
        fc.record({ idleTimeoutMs: fc.integer({ min: 1, max: 300_000 }), absoluteTimeoutMs: fc.integer({ min: 1, max: 900_000 }) }),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        async (t, steps) => {
          const clock = createManualClock(1_000_000);
          let stored: Deadlines | null = startDeadlines(clock.now(), t);
          let storeDown = false;
          const expiredAt: number[] = [];
          /** Expiries that came before the deadline they were allowed by (recorded here, asserted below). */
          const early: number[] = [];
          const timers = createDeadlineTimers({
            clock,
            log,
            backoff: () => 1_000,
            read: async () => {
              if (storeDown) throw new Error('store down');
              return stored;
            },
            expire: () => {
              // Never early: by the store's deadlines when it answers, by the absolute one when it does not.
              const now = clock.now();
              if (!(storeDown ? now >= stored!.absoluteExpiresAt : isPast(stored!, now))) early.push(now);
              expiredAt.push(now);
              timers.unwatch('s');
            },
          });
          timers.watch('s', stored);
          /** Lets every store read started by a fired timer finish, and any timer it set that is already due fire. */
          const settle = async (): Promise<void> => {
            for (let i = 0; i < 20; i++) {
              await flush();
              clock.advance(0);
            }
            await flush();
          };

          for (const step of steps) {
            const ended = expiredAt.length > 0;
            const live = !ended && stored !== null && !isPast(stored, clock.now());
            switch (step.kind) {
              case 'advance':
                clock.advance(step.ms);
                break;
              case 'activity here':
                // As core.touch does: write the store, then move this node's timer.
                if (live && !storeDown) {
                  stored = afterActivity(stored!, clock.now(), t);
                  if (timers.isWatching('s')) timers.watch('s', stored);
                }
                break;
              case 'activity on another node':
                // Only the store moves; this node learns of it when its timer fires.
                if (live && !storeDown) stored = afterActivity(stored!, clock.now(), t);
                break;
              case 'store down':
                storeDown = true;
                break;
              case 'store up':
                storeDown = false;
                break;
            }
            await settle();
            const now = clock.now();
            expect(early).toEqual([]);
            expect(expiredAt.length).toBeLessThanOrEqual(1);
            if (now >= stored!.absoluteExpiresAt) expect(expiredAt).toHaveLength(1);
            if (!storeDown && isPast(stored!, now) && expiredAt.length === 0) {
              // The store was down when the deadline passed: the retry (backoff 1 s) catches up.
              clock.advance(1_000);
              await settle();
              expect(expiredAt).toHaveLength(1);
            }
          }
          timers.close();
          expect(clock.pending).toBe(0);

        },
      ),
      { numRuns: 150 },
    );

  });
});
