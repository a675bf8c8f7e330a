// express-session as a cookie codec and loader over the lifecycle: the lifecycle is the store's only writer.
import type { Request } from 'express';
import session from 'express-session';
import type { AppData, SessionRecord } from '../sessions/data.js';

declare module 'express-session' {
  // The record as loaded (see sessions/data.ts); never written back by express-session.
  interface SessionData extends SessionRecord<AppData> {}
}

/** A request whose cookie names a live signed-in session. */
export type SignedInRequest = Request & { session: session.Session & SessionRecord<AppData> };

export function isSignedIn(req: Request): req is SignedInRequest {
  return Boolean(req.session && (req.session as Partial<SessionRecord>).userId);
}

/**
 * The store handed to express-session. Reads go to the lifecycle (a past deadline ends the
 * session there); every write express-session would make is dropped: a request's end-of-request
 * save of the whole object would overwrite what a socket wrote meanwhile, or re-create a session
 * ended meanwhile (DESIGN.md, known traps). Entries are written only by the lifecycle.
 */
export class LifecycleSessionStore extends session.Store {
  constructor(
    readonly read: (sessionId: string) => Promise<SessionRecord | null>,
    readonly cookie: { secure: boolean },
  ) {
    super();
  }
  override get(sid: string, cb: (err: unknown, sess?: session.SessionData | null) => void): void {
    this.read(sid).then(
      (record) => {
        if (!record) return cb(null, null);
        // express-session rebuilds its Cookie from this; Expires is the absolute deadline.
        const cookie = { expires: new Date(record.absoluteExpiresAt), originalMaxAge: null, httpOnly: true, sameSite: 'lax', secure: this.cookie.secure, path: '/' };
        cb(null, { ...record, cookie } as unknown as session.SessionData);
      },
      (error: unknown) => cb(error),
    );
  }
  override set(_sid: string, _sess: session.SessionData, cb?: (err?: unknown) => void): void {
    cb?.();
  }
  override touch(_sid: string, _sess: session.SessionData, cb?: () => void): void {
    cb?.();
  }
  override destroy(_sid: string, cb?: (err?: unknown) => void): void {
    cb?.();
  }
}

type LiveSession = session.Session & Partial<SessionRecord>;

/**
 * express-session resets the cookie's expiry to now + maxAge before every Set-Cookie
 * (`Session#touch`). The contract wants Expires pinned at the absolute deadline, so each session
 * object gets a `touch` of its own that sets exactly that. Functions are not serialized.
 */
export function pinCookieExpiry(sess: LiveSession): void {
  Object.defineProperty(sess, 'touch', {
    configurable: true,
    enumerable: false,
    value(this: LiveSession) {
      if (this.absoluteExpiresAt) this.cookie.expires = new Date(this.absoluteExpiresAt);
      return this;
    },
  });
}

/** Promisified `req.session.regenerate`: a new ID and an empty session object (nothing stored). */
export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err) : resolve())));
}

/** Puts a record into the request's session object under its ID, with the cookie pinned to it. */
export function adopt(req: Request, record: SessionRecord): void {
  Object.assign(req.session, record);
  pinCookieExpiry(req.session as LiveSession);
  req.session.cookie.expires = new Date(record.absoluteExpiresAt);
}
