// The CSRF token of a signed-out visitor: stateless and signed, in a cookie of its own, so no store entry exists.
import { createHmac, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie, tokensEqual } from '../sessions/cookie.js';

export interface AnonymousCsrfOptions {
  secrets: readonly string[];
  secure: boolean;
}

/**
 * Signed-out visitors (the sign-in form) get `nonce.signature` in a cookie and the same value in
 * `/api/session`; a state-changing request must send it back in the header. Nothing is kept on the
 * server, so a flood of cookieless requests costs no memory and cannot displace a signed-in session.
 * @example const anon = createAnonymousCsrf({ secrets, secure: false }); const token = anon.tokenFor(req, res);
 */
export function createAnonymousCsrf({ secrets, secure }: AnonymousCsrfOptions) {
  const cookieName = secure ? '__Host-csrf' : 'csrf';
  const sign = (nonce: string, secret: string): string => createHmac('sha256', secret).update(`tether-anonymous-csrf:${nonce}`).digest('base64url');
  /** The request's valid token (signed with any of the secrets), or undefined. */
  const read = (req: Request): string | undefined => {
    const value = readCookie(req.headers.cookie, cookieName);
    const [nonce, signature, extra] = value?.split('.') ?? [];
    if (!nonce || !signature || extra !== undefined) return undefined;
    return secrets.some((secret) => tokensEqual(sign(nonce, secret), signature)) ? value : undefined;
  };
  return {
    cookieName,
    /** The visitor's token, issuing one (and its cookie) when the request carries none. */
    tokenFor(req: Request, res: Response): string {
      const known = read(req);
      if (known) return known;
      const nonce = randomBytes(18).toString('base64url');
      const token = `${nonce}.${sign(nonce, secrets[0] ?? '')}`;
      // Like express-session with the session cookie: a Secure cookie is never sent over plain http.
      if (!secure || req.secure) res.cookie(cookieName, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
      return token;
    },
    /** True when the header carries this visitor's signed token. */
    verify: (req: Request, given: unknown): boolean => {
      const known = read(req);
      return known !== undefined && tokensEqual(known, given);
    },
  };
}
