// Pure client logic: backoff steps, deadline and warning math, reason and error sentences, formats.
import { describe, expect, it } from 'vitest';
import { END_REASON_MESSAGES, END_REASONS, EXPIRED_MESSAGES } from '../../shared/reasons.js';
import type { ApiFailure } from '../../client/api.js';
import { jitteredBackoff, phoenixBackoff } from '../../client/toolkit/index.js';
import { endOf, expiryPhase, nextPhaseChangeAt, secondsLeft, touchIntervalMs, warningLeadMs } from '../../client/toolkit/index.js';
import { formatClock, formatCountdown, formatTimeOfDay, formatUptime, liveTabs, tabsCount } from '../../client/format.js';
import { asSentence, endMessage, passwordFailureMessage, signInFailureMessage, UNKNOWN_END_MESSAGE, waitInWords } from '../../client/messages.js';

const failure = (over: Partial<ApiFailure>): ApiFailure => ({ ok: false, status: 400, code: 'invalid_input', message: 'bad', retryAfterSeconds: null, ...over });

describe('backoff (Phoenix steps)', () => {
  it('steps through 10..2000 ms, then 5 s for every later try', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(phoenixBackoff)).toEqual([10, 50, 100, 150, 200, 250, 500, 1000, 2000]);
    expect(phoenixBackoff(10)).toBe(5000);
    expect(phoenixBackoff(1000)).toBe(5000);
  });
  it('treats a try below 1 as the first', () => {
    expect(phoenixBackoff(0)).toBe(10);
  });
});

describe('backoff with jitter (tabs dropped together do not retry together)', () => {
  it('spreads each delay by up to ±20 % around the steps', () => {
    expect(jitteredBackoff(phoenixBackoff, { random: () => 0 })(9)).toBe(1600);
    expect(jitteredBackoff(phoenixBackoff, { random: () => 0.5 })(9)).toBe(2000);
    expect(jitteredBackoff(phoenixBackoff, { random: () => 0.999999 })(9)).toBe(2400);
    expect(jitteredBackoff(phoenixBackoff, { spread: 0.5, random: () => 0 })(10)).toBe(2500);
  });
});

describe('deadline math', () => {
  const min = 60_000;
  it('throttles touches to min(60 s, idle/4) and warns min(60 s, idle/2) ahead', () => {
    expect(touchIntervalMs(30 * min)).toBe(60_000);
    expect(touchIntervalMs(20_000)).toBe(5000);
    expect(warningLeadMs(30 * min)).toBe(60_000);
    expect(warningLeadMs(20_000)).toBe(10_000);
  });
  it('takes the earlier deadline', () => {
    expect(endOf({ idleExpiresAt: 5, absoluteExpiresAt: 9 })).toEqual({ at: 5, kind: 'idle' });
    expect(endOf({ idleExpiresAt: 9, absoluteExpiresAt: 5 })).toEqual({ at: 5, kind: 'absolute' });
  });

  describe('when the idle deadline decides', () => {
    const d = { idleExpiresAt: 100 * min, absoluteExpiresAt: 400 * min };
    it('is ok until a minute before, then warns with a countdown, then is past', () => {
      const ok = expiryPhase(98 * min, d, 30 * min);
      expect(ok).toEqual({ kind: 'ok', endsAt: 100 * min, warnAt: 99 * min });
      expect(nextPhaseChangeAt(ok)).toBe(99 * min);
      const warning = expiryPhase(99 * min, d, 30 * min);
      expect(warning).toEqual({ kind: 'idle-warning', endsAt: 100 * min });
      expect(nextPhaseChangeAt(warning)).toBe(100 * min);
      expect(expiryPhase(100 * min, d, 30 * min)).toEqual({ kind: 'past', endsAt: 100 * min });
    });
    it('warns half the idle timeout ahead when that is under a minute', () => {
      expect(expiryPhase(100 * min - 10_001, d, 20_000).kind).toBe('ok');
      expect(expiryPhase(100 * min - 10_000, d, 20_000).kind).toBe('idle-warning');
    });
  });

  describe('when the absolute deadline comes first', () => {
    it('warns without the idle kind (activity cannot move it)', () => {
      const d = { idleExpiresAt: 200 * min, absoluteExpiresAt: 100 * min };
      expect(expiryPhase(99.5 * min, d, 30 * min)).toEqual({ kind: 'absolute-warning', endsAt: 100 * min });
    });
  });

  it('counts whole seconds left, never below zero', () => {
    expect(secondsLeft(0, 1)).toBe(1);
    expect(secondsLeft(0, 45_000)).toBe(45);
    expect(secondsLeft(10, 0)).toBe(0);
  });
});

describe('why a session ended', () => {
  it('has one sentence per reason, from shared/reasons.ts', () => {
    for (const reason of END_REASONS) expect(endMessage(reason)).toBe(END_REASON_MESSAGES[reason]);
    expect(endMessage('logout')).toBe('You signed out in another tab.');
  });
  it('has a neutral sentence when nobody said why', () => {
    expect(endMessage(null)).toBe(UNKNOWN_END_MESSAGE);
  });
});

describe('when the session expired', () => {
  const idleFirst = { idleExpiresAt: 1_000, absoluteExpiresAt: 9_000 };
  const absoluteFirst = { idleExpiresAt: 9_000, absoluteExpiresAt: 5_000 };
  it("says which deadline passed when the server says so, whatever the page's deadlines suggest", () => {
    expect(endMessage('expired', { deadline: 'idle', deadlines: absoluteFirst })).toBe(EXPIRED_MESSAGES.idle);
    expect(endMessage('expired', { deadline: 'absolute', deadlines: idleFirst })).toBe(EXPIRED_MESSAGES.absolute);
  });
  it('infers it from the deadlines the page knows when the server does not say: the one that came first', () => {
    expect(endMessage('expired', { deadlines: idleFirst })).toBe(EXPIRED_MESSAGES.idle);
    expect(endMessage('expired', { deadlines: absoluteFirst })).toBe(EXPIRED_MESSAGES.absolute);
  });
  it('has one sentence per deadline, different from each other, and the general one when nothing is known', () => {
    expect(new Set([EXPIRED_MESSAGES.idle, EXPIRED_MESSAGES.absolute, END_REASON_MESSAGES.expired]).size).toBe(3);
    expect(endMessage('expired')).toBe(END_REASON_MESSAGES.expired);
    expect(endMessage('revoked', { deadline: 'idle' })).toBe(END_REASON_MESSAGES.revoked);
  });
});

describe('sign-in failures', () => {
  it('never says whether the username exists', () => {
    expect(signInFailureMessage('login', failure({ status: 401, code: 'invalid_credentials', message: 'no such user' }))).toBe('Wrong username or password.');
  });
  it('says when to try again after 429, from Retry-After', () => {
    expect(signInFailureMessage('login', failure({ status: 429, code: 'rate_limited', retryAfterSeconds: 900 }))).toBe('Too many sign-in attempts. Try again in 15 minutes.');
    expect(signInFailureMessage('login', failure({ status: 429, code: 'rate_limited', retryAfterSeconds: 1 }))).toBe('Too many sign-in attempts. Try again in 1 second.');
  });
  it("shows the server's message for registration problems", () => {
    expect(signInFailureMessage('register', failure({ status: 409, code: 'username_taken', message: 'that username is taken' }))).toBe('That username is taken.');
  });
  it('explains an unreachable server', () => {
    expect(signInFailureMessage('login', failure({ status: 0, code: 'network' }))).toMatch(/Could not reach the server/);
  });
  it('words waits and sentences', () => {
    expect(waitInWords(59)).toBe('59 seconds');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(7200)).toBe('2 hours');
    expect(asSentence('done!')).toBe('Done!');
  });
  it('tells a wrong current password apart from the rest', () => {
    expect(passwordFailureMessage(failure({ status: 401, code: 'invalid_credentials' }))).toBe('The current password is wrong.');
    expect(passwordFailureMessage(failure({ message: 'newPassword: password must be at least 8 characters' }))).toBe('NewPassword: password must be at least 8 characters.');
  });
});

describe('formats', () => {
  const fmt = { locale: 'en-GB', timeZone: 'UTC' };
  const noon = Date.UTC(2026, 2, 3, 12, 0);
  it('shows a time today, and the date too on another day', () => {
    expect(formatClock(Date.UTC(2026, 2, 3, 14, 5), noon, fmt)).toBe('14:05');
    expect(formatClock(Date.UTC(2026, 2, 2, 14, 5), noon, fmt)).toBe('2 Mar, 14:05');
  });
  it('counts down as a clock', () => {
    expect(formatCountdown(45)).toBe('0:45');
    expect(formatCountdown(125)).toBe('2:05');
    expect(formatCountdown(3725)).toBe('1:02:05');
    expect(formatCountdown(-3)).toBe('0:00');
  });
  it('counts live tabs', () => {
    expect([0, 1, 3].map(liveTabs)).toEqual(['No live tabs', '1 live tab', '3 live tabs']);
  });
  it('counts tabs and writes uptimes in their two largest units', () => {
    expect([1, 2].map(tabsCount)).toEqual(['1 tab', '2 tabs']);
    expect([42, 300, 7200, 7500, 90_000, 86_400].map(formatUptime)).toEqual(['42 s', '5 min', '2 h', '2 h 5 min', '1 d 1 h', '1 d']);
  });
  it('writes a time of day with seconds', () => {
    expect(formatTimeOfDay(Date.UTC(2026, 2, 3, 14, 5, 9), { locale: 'en-GB', timeZone: 'UTC' })).toBe('14:05:09');
  });
});
