// The lifecycle's small types and helpers: errors, guards, what a list shows, new IDs and tokens.
import { randomBytes } from 'node:crypto';
import type { Deadlines } from '../../shared/events.js';
import type { ExpiredDeadline } from '../../shared/reasons.js';
import type { RegistryEntry } from './registry.js';

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

