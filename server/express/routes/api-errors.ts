// The one error shape of the HTTP API: {"error":{"code","message"}} with a fitting status, never a stack trace.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { HttpErrorCode } from '../../../shared/api.js';
import { silentLogger, type Logger } from '../../sessions/index.js';
import { SessionHttpError } from '../binding.js';

/**
 * What a route throws to answer with the contract's error shape; `apiErrors()` sends it.
 * @example throw new HttpError(404, 'not_found', 'no such session');
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    /** Headers the answer carries (e.g. `Retry-After` of a 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendError(res: Response, status: number, code: HttpErrorCode, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** 404 for any route nobody answered (mount last, under `/api`). */
export const apiNotFound: RequestHandler = (req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.baseUrl}${req.path}`);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request that carries a body must say it is JSON: else 415 before anything else reads it. */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is('application/json')) {
    return sendError(res, 415, 'unsupported_media_type', 'send the body as application/json');
  }
  next();
};

/**
 * The error handler of the API: HttpError and the binding's SessionHttpError as sent, body-parser's
 * errors as `invalid_json` / `payload_too_large` / `unsupported_media_type`, an error whose `code`
 * is `unavailable` (a store that cannot be reached) as 503, anything else 500 (logged). Express 5's
 * default handler answers HTML with a stack trace outside production.
 * @example app.use('/api', requireJsonBody, express.json(), sessions.middleware, tetherRoutes(…), apiNotFound, apiErrors(log));
 */
export function apiErrors(log: Logger = silentLogger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) return sendError(res.set(err.headers), err.status, err.code, err.message);
    if (err instanceof SessionHttpError) return sendError(res, err.status, err.code, err.message);
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.parse.failed') return sendError(res, 400, 'invalid_json', 'the body is not valid JSON');
    if (type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the body is too large');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return sendError(res, 415, 'unsupported_media_type', 'unsupported body encoding');
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(res, status, 'invalid_input', 'the request could not be read');
    if ((err as { code?: unknown }).code === 'unavailable') return sendError(res, 503, 'unavailable', 'a service the server needs is unavailable; try again');
    log.error({ err }, 'unexpected error');
    sendError(res, 500, 'internal', 'something went wrong on the server');
  };
}
