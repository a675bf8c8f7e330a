// Reads the session ID out of a signed session cookie, as express-session does, without the store.
// Also the constant-time token comparison both bindings use.
import signature from 'cookie-signature';
import { timingSafeEqual } from 'node:crypto';

/** The value of one cookie in a Cookie header (URI-decoded), or undefined. */
export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Parses a Cookie header and returns the unsigned session ID, or null. */
export function readSessionId(cookieHeader: string | undefined, name: string, secrets: readonly string[]): string | null {
  const value = readCookie(cookieHeader, name);
  if (!value?.startsWith('s:')) return null;
  for (const secret of secrets) {
    const sid = signature.unsign(value.slice(2), secret);
    if (sid !== false) return sid;
  }
  return null;
}

/** Constant-time comparison of two tokens (false for different lengths, without early exit on content). */
export function tokensEqual(expected: string | undefined, given: unknown): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
