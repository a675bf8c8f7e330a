// The HTTP API's payloads: request schemas (zod, checked at the edge) and response types.
import { z } from 'zod';
import type { Theme } from './views/prefs.js';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** A NUL byte, or a UTF-16 surrogate without its other half: text no database column can hold as sent. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string field of a request body: refuses what no store can hold (PostgreSQL text rejects NUL;
 * a lone surrogate does not survive UTF-8), so such input is `400 invalid_input`, never an outage.
 * @example z.strictObject({ note: storableString().max(100) })
 */
export const storableString = (): z.ZodString => z.string().refine((value) => !UNSTORABLE.test(value), 'must not contain NUL bytes or unpaired surrogates');

export const usernameSchema = storableString()
  .regex(USERNAME_PATTERN, 'username must be 3 to 32 of a-z 0-9 _ . -');
export const passwordSchema = storableString()
  .min(PASSWORD_MIN, `password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`);

export const credentialsSchema = z.strictObject({ username: usernameSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

/** Login accepts any string shape-wise, so a bad username is `invalid_credentials`, not a hint. */
export const loginSchema = z.strictObject({
  username: storableString().max(256),
  password: storableString().max(PASSWORD_MAX),
});
export type LoginBody = z.infer<typeof loginSchema>;

export const passwordChangeSchema = z.strictObject({
  currentPassword: storableString().max(PASSWORD_MAX),
  newPassword: passwordSchema,
});
export type PasswordChangeBody = z.infer<typeof passwordChangeSchema>;

export const sessionHandleSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export interface User {
  id: string;
  username: string;
}

export interface SessionState {
  user: User | null;
  csrfToken: string;
  idleExpiresAt: number | null;
  absoluteExpiresAt: number | null;
  idleTimeoutMs: number;
  /** Written by live views into the session (e.g. the theme); the same in every tab of it. */
  preferences?: { theme: Theme };
}

export interface SignedIn {
  user: User;
  csrfToken: string;
}

export interface SessionListItem {
  id: string;
  current: boolean;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  ip: string;
  sockets: number;
}

export interface SessionList {
  sessions: SessionListItem[];
}

export interface PasswordChanged {
  csrfToken: string;
}

export const HTTP_ERROR_CODES = [
  'invalid_input',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'not_found',
  'username_taken',
  'invalid_credentials',
  'rate_limited',
  'unavailable',
  'unauthenticated',
  'csrf_invalid',
  'session_renewed',
  'internal',
  'reauthentication_required',
  'account_locked',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export interface ApiError {
  error: { code: HttpErrorCode; message: string };
}

export { CSRF_HEADER, BACKGROUND_HEADER } from './constants.js';
