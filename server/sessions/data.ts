// What a session holds: identifiers and metadata only, never a password, hash or secret.
import 'express-session';
import type { Theme } from '../../shared/live.js';

declare module 'express-session' {
  interface SessionData {
    csrfToken: string;
    createdAt: number;
    lastSeenAt: number;
    idleExpiresAt: number;
    absoluteExpiresAt: number;
    userAgent: string;
    ip: string;
    /** Set once signed in. */
    userId?: string;
    username?: string;
    /** The opaque public handle shown in /api/sessions; never the session ID. */
    handle?: string;
    /** A preference written by a live view (a session can be written from a socket, not only HTTP). */
    theme?: Theme;
  }
}

export type { SessionData } from 'express-session';
