// Sign-in and registration limits: 429 rate_limited with Retry-After, counted where LimitStores says (node or Redis).
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { RateLimitConfig } from '../config.js';
import { createLoginLimit, sendError, type LimitStores, type LoginLimit } from '../express/index.js';

const clientKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');

const limited =
  (what: string): Options['handler'] =>
  (req, res) => {
    const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
    const seconds = Math.max(1, Math.ceil(((reset ?? Date.now() + 60_000) - Date.now()) / 1000));
    res.setHeader('Retry-After', String(seconds));
    sendError(res, 429, 'rate_limited', `too many ${what}; try again in ${seconds} seconds`);
  };

export interface AuthLimits {
  /** Failed sign-ins per username + IP and per IP; the login route runs its password check through it. */
  login: LoginLimit;
  register: RequestHandler;
}

/**
 * Failed sign-ins are counted per username + client IP (5 in 15 minutes) and per IP; successful
 * ones never count. Once over, even the right password gets 429 until the window ends.
 * Registrations are counted per IP, every attempt. With Redis stores every node shares the counts;
 * a store that cannot be reached answers 503 (never lets the request through uncounted).
 * @example const limits = createAuthLimits(config.rateLimits, stores.limits); router.post('/register', limits.register, register);
 */
export function createAuthLimits(config: RateLimitConfig, stores: LimitStores): AuthLimits {
  return {
    login: createLoginLimit({ stores, failuresPerUser: config.loginFailuresPerUser, failuresPerIp: config.loginFailuresPerIp, windowMs: config.loginWindowMs }),
    register: rateLimit({
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      windowMs: config.registerWindowMs,
      limit: config.registrationsPerIp,
      keyGenerator: clientKey,
      store: stores.create('register'),
      // A store error goes to the error handler (503 unavailable), not through uncounted.
      passOnStoreError: false,
      handler: limited('registrations from this address'),
    }),
  };
}
