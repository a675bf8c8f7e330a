// What a session holds: identifiers and metadata only, never a password, hash or secret.
import 'express-session';

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
  }
}

export type { SessionData } from 'express-session';
