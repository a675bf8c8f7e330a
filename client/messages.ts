// The sentences the page shows: why a session ended, why a request failed, why live updates stopped.
import type { Deadlines } from '../shared/events.js';
import { END_REASON_MESSAGES, EXPIRED_MESSAGES, type EndReason, type ExpiredDeadline, type HandshakeRefusal } from '../shared/reasons.js';
import { endOf } from './toolkit/index.js';
import type { ApiFailure } from './api.js';

/** Shown in the tab that itself clicked "Sign out". */
export const SELF_SIGN_OUT_MESSAGE = 'You signed out.';
/** Shown when the session is gone but nobody said why (a 401, a refused reconnect). */
export const UNKNOWN_END_MESSAGE = 'Your session has ended. Sign in again to continue.';


/**
 * One sentence per end reason (shared/reasons.ts), or the neutral one when the reason is unknown.
 * For `expired`, the sentence of the deadline that passed: the server's `deadline` when it says,
 * else the one of the session's `deadlines` that comes first (the one that ended it).
 * @example endMessage('expired', { deadlines: { idleExpiresAt: 5, absoluteExpiresAt: 9 } }) // EXPIRED_MESSAGES.idle
 */
export function endMessage(reason: EndReason | null, { deadline, deadlines }: { deadline?: ExpiredDeadline | undefined; deadlines?: Deadlines | null } = {}): string {
  if (reason !== 'expired') return reason ? END_REASON_MESSAGES[reason] : UNKNOWN_END_MESSAGE;
  const passed = deadline ?? (deadlines ? endOf(deadlines).kind : null);
  return passed ? EXPIRED_MESSAGES[passed] : END_REASON_MESSAGES.expired;
}

/** Why live updates are off while the tab stays signed in. */
export function liveRefusalMessage(code: HandshakeRefusal): string {
  switch (code) {
    case 'too_many_sockets':
      return 'Too many open tabs: live updates are paused in this one. Close a tab and reload this one.';
    case 'origin_not_allowed':
      return 'Live updates are not allowed from this address.';
    default:
      return 'Live updates are unavailable right now. Reload the page to try again.';
  }
}

/** "15 seconds", "1 minute", "2 hours": a Retry-After in words. */
export function waitInWords(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return unit(Math.ceil(s / 60), 'minute');
  return unit(Math.ceil(s / 3600), 'hour');
}

/** A server message ("that username is taken") as a sentence ("That username is taken."). */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return 'Something went wrong.';
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

const NETWORK = 'Could not reach the server. Check your connection and try again.';
const UNAVAILABLE = 'The server is unavailable right now. Try again in a moment.';

function commonFailure(failure: ApiFailure): string | null {
  if (failure.code === 'network') return NETWORK;
  if (failure.code === 'unavailable' || failure.status === 503) return UNAVAILABLE;
  if (failure.code === 'csrf_invalid') return 'This page was out of date. Try again.';
  if (failure.code === 'rate_limited') {
    return failure.retryAfterSeconds !== null ? `Too many attempts. Try again in ${waitInWords(failure.retryAfterSeconds)}.` : 'Too many attempts. Try again later.';
  }
  return null;
}

/**
 * The alert text for a failed sign-in or registration. A failed sign-in never says whether the
 * username exists.
 * @example signInFailureMessage('login', { status: 401, code: 'invalid_credentials', ... }) // 'Wrong username or password.'
 */
export function signInFailureMessage(action: 'login' | 'register', failure: ApiFailure): string {
  const common = commonFailure(failure);
  if (common) return failure.code === 'rate_limited' ? common.replace('Too many attempts', action === 'login' ? 'Too many sign-in attempts' : 'Too many new accounts from this address') : common;
  if (action === 'login') return 'Wrong username or password.';
  return asSentence(failure.message);
}

/** The alert text for a failed password change. */
export function passwordFailureMessage(failure: ApiFailure): string {
  if (failure.code === 'invalid_credentials') return 'The current password is wrong.';
  return commonFailure(failure) ?? asSentence(failure.message);
}

/** The alert text for any other failed action (sign out, revoke, load the list). */
export function actionFailureMessage(what: string, failure: ApiFailure): string {
  return `Could not ${what}. ${commonFailure(failure) ?? asSentence(failure.message)}`;
}
