// Structured logging (pino) with secrets redacted: cookies, tokens and passwords never reach a log.
import type { RequestHandler } from 'express';
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** The keys that carry a secret, wherever they appear (top level or one object down). */
const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', 'csrfToken', 'sessionId', 'sid', 'cookie', 'authorization'];

export const REDACT_PATHS = [
  // Request and response logs carry headers: the session cookie, the CSRF token, Set-Cookie.
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  // Bodies are never logged; should one be, it holds passwords.
  'req.body',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
];

/**
 * Creates the server's logger.
 * @example const log = createLogger('info'); log.info({ userId }, 'signed in');
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'tether' } }, destination);
}

/**
 * At `debug`, one line per finished API request with its headers (secrets redacted above) and
 * timing. Costs nothing at `info` and above.
 * @example api.use(requestLogger(log));
 */
export function requestLogger(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (!log.isLevelEnabled('debug')) return next();
    const started = performance.now();
    res.on('finish', () => {
      log.debug(
        {
          req: { method: req.method, url: req.originalUrl, headers: req.headers },
          res: { statusCode: res.statusCode, headers: res.getHeaders() },
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    next();
  };
}
