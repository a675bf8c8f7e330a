// The lifecycle's small types and helpers: its options, errors, guards, what a list shows, new IDs and tokens.
import { randomBytes } from 'node:crypto';
import type { Deadlines } from '../../shared/events.js';
import type { ExpiredDeadline } from '../../shared/reasons.js';
import type { Clock } from './clock.js';
import type { Timeouts } from './deadline-math.js';
import type { Logger } from './logger.js';
import type { RegistryEntry, SessionRegistry } from './registry.js';
import type { Backoff } from './retry.js';
import type { SessionStore } from './store.js';

/** A sign-in that read the user's credential epoch before it read the password hash it verified. */
export interface CredentialGuard {
  epoch: number;
}

/** The password (credentials) changed while this sign-in verified the old one: it must fail. */
export class CredentialsChangedError extends Error {
  readonly code = 'credentials_changed';
  constructor() {
    super('the credentials changed while signing in');
    this.name = 'CredentialsChangedError';
  }
}

/** One of a user's live sessions, for a session list. */
export interface SessionSummary extends Omit<RegistryEntry, 'userId'> {
  lastSeenAt: number;
}

/** What a node keeps of a session whose sockets it admitted. */
export interface KnownSession {
  userId: string;
  csrfToken: string;
}

export const newSessionId = (): string => randomBytes(24).toString('base64url');
export const newCsrfToken = (): string => randomBytes(24).toString('base64url');

export const expiredDeadline = (d: Deadlines, now: number): ExpiredDeadline => (now >= d.absoluteExpiresAt ? 'absolute' : 'idle');

export interface SessionLifecycleOptions extends Partial<Timeouts> {
  /** Where sessions live (default: memory). */
  store?: SessionStore;
  /** The user → sessions index (default: memory). */
  registry?: SessionRegistry;
  clock?: Clock;
  log?: Logger;
  backoff?: Backoff;
  /** How long a sign-in or password confirmation counts as fresh, for step-up (default 10 min). */
  freshMs?: number;
  /**
   * Activity writes the store only when it moves the idle deadline by at least this much
   * (connect-mongo's `touchAfter`): many tabs touching at once cost one write and one push, not
   * one each. The price: a session may expire up to this long before a full idle timeout after
   * its very last activity. Default: a sixtieth of the idle timeout, at most 30 s (30 s of 30 min).
   */
  touchAfterMs?: number;
  /**
   * With a store that indexes deadlines (Redis), how often this node sweeps it for sessions that
   * expired with no socket open anywhere, so their end is recorded and announced like any other
   * (default 5 s; false: never, e.g. a one-shot command).
   */
  sweepEveryMs?: number | false;
}
