// Structured logging (pino) with secrets redacted: cookies, tokens and passwords never reach a log.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'csrfToken',
  'sessionId',
  'sid',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.csrfToken',
  '*.cookie',
  '*.sessionId',
  '*.sid',
];

/**
 * Creates the server's logger.
 * @example const log = createLogger('info'); log.info({ userId }, 'signed in');
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'tether' } }, destination);
}
