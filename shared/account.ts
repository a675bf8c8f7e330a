// The "Beyond" wire: new sign-in notices, the activity history, step-up (reauthentication).
import { z } from 'zod';
import { PASSWORD_MAX, storableString } from './api.js';

/** Pushed as `sessions:signed-in` to the user's other tabs when a session of theirs starts by sign-in. */
export interface SignInNotice {
  /** The new session's public handle (as in `/api/sessions`): what "Not you? Revoke" revokes. */
  id: string;
  userAgent: string;
  ip: string;
  /** Epoch ms. */
  at: number;
}

/** What the history records; one row per event, failed sign-ins counted in one row per burst. */
export const ACTIVITY_KINDS = [
  'signed_in',
  'sign_in_failed',
  'signed_out',
  'signed_out_everywhere',
  'revoked',
  'password_changed',
  'expired',
  'reauthenticated',
  'locked',
  'unlocked',
  'ended_by_operator',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * Per kind: `revoked {session, by}` (public handles), `expired {deadline}`, `sign_in_failed {count}`,
 * `signed_out {session}`, `ended_by_operator {reason, sessions}`. Never a session ID, token or cookie.
 */
export type ActivityDetail = Readonly<Record<string, string | number>>;

export interface ActivityItem {
  id: string;
  kind: ActivityKind;
  /** Epoch ms (for a burst of failed sign-ins: the latest). */
  at: number;
  ip: string;
  userAgent: string;
  detail: ActivityDetail;
}

/** `GET /api/activity?before=CURSOR`: newest first; `next` pages on, null at the end. */
export interface ActivityPage {
  items: ActivityItem[];
  next: string | null;
}

export const activityQuerySchema = z.strictObject({
  before: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'before must be a cursor from `next`').optional(),
});

export const reauthenticateSchema = z.strictObject({ password: storableString().max(PASSWORD_MAX) });
export type ReauthenticateBody = z.infer<typeof reauthenticateSchema>;

/** `POST /api/reauthenticate` → the session is fresh until `freshUntil` (epoch ms). */
export interface Reauthenticated {
  csrfToken: string;
  freshUntil: number;
}
