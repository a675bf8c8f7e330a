// Sign-in and registration limits (express-rate-limit): 429 rate_limited with Retry-After.
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { RateLimitConfig } from '../config.js';
import { sendError } from '../http/errors.js';

const clientKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');
const usernameOf = (req: Request): string => {
  const name = (req.body as { username?: unknown } | undefined)?.username;
  return typeof name === 'string' ? name.toLowerCase().slice(0, 64) : '';
};

const limited =
  (what: string): Options['handler'] =>
  (req, res) => {
    const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
    const seconds = Math.max(1, Math.ceil(((reset ?? Date.now() + 60_000) - Date.now()) / 1000));
    res.setHeader('Retry-After', String(seconds));
    sendError(res, 429, 'rate_limited', `too many ${what}; try again in ${seconds} seconds`);
  };

export interface AuthLimits {
  login: RequestHandler[];
  register: RequestHandler;
}

/**
 * Failed sign-ins are counted per username + client IP (5 in 15 minutes by default) and per IP;
 * successful ones do not count. Once over, even the right password gets 429 until the window ends.
 * @example const limits = createAuthLimits(config.rateLimits); router.post('/login', ...limits.login, login);
 */
export function createAuthLimits(config: RateLimitConfig): AuthLimits {
  const common = { standardHeaders: 'draft-7', legacyHeaders: false, skipSuccessfulRequests: true } as const;
  return {
    login: [
      rateLimit({ ...common, windowMs: config.loginWindowMs, limit: config.loginFailuresPerIp, keyGenerator: clientKey, handler: limited('failed sign-ins from this address') }),
      rateLimit({
        ...common,
        windowMs: config.loginWindowMs,
        limit: config.loginFailuresPerUser,
        keyGenerator: (req) => `${clientKey(req)}|${usernameOf(req)}`,
        handler: limited('failed sign-ins'),
      }),
    ],
    register: rateLimit({
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      windowMs: config.registerWindowMs,
      limit: config.registrationsPerIp,
      keyGenerator: clientKey,
      handler: limited('registrations from this address'),
    }),
  };
}
