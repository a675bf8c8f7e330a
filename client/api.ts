// The HTTP API as typed functions: JSON in and out, the CSRF header, one retry after csrf_invalid.
import type * as z from 'zod/mini';
import type { LoginBody, PasswordChangeBody, PasswordChanged, SessionList, SessionState, SignedIn } from '../shared/api.js';
import { BACKGROUND_HEADER, CSRF_HEADER } from '../shared/constants.js';
import type { ActivityPage, Reauthenticated } from '../shared/account.js';
import { activityPageSchema, reauthenticatedSchema } from './account-wire.js';
import { apiErrorSchema, passwordChangedSchema, sessionListSchema, sessionStateSchema, signedInSchema } from './wire.js';

/** A failed request: the server's `{error: {code, message}}`, or `network` when it never answered. */
export interface ApiFailure {
  ok: false;
  status: number;
  code: string;
  message: string;
  /** From `Retry-After` (seconds), on 429 and 503. */
  retryAfterSeconds: number | null;
}
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

export interface ApiOptions {
  fetch?: typeof fetch;
  /** The session's current CSRF token (waits for a pending /api/session). */
  token(): Promise<string>;
  /**
   * Called once after a 403 csrf_invalid: refetches /api/session. Resolves the fresh token to retry
   * with, or null when the request must not be repeated (the session changed hands meanwhile).
   */
  refreshToken(): Promise<string | null>;
  /**
   * Called once after a 403 reauthentication_required (step-up): asks for the password. Resolves
   * true once the session is fresh again (the act is then retried once), false when the user gave up.
   */
  stepUp?(): Promise<boolean>;
  /** The server's clock (from the Date header), to correct the session clock for skew. */
  onServerDate?(serverMs: number, receivedAtMs: number): void;
}

const NO_BODY = null;
type Schema<T> = z.ZodMiniType<T> | typeof NO_BODY;

function retryAfter(res: Response): number | null {
  const raw = res.headers.get('Retry-After');
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/**
 * @example const api = createApi({ token: async () => csrf, refreshToken: reloadSession });
 *          const res = await api.login({ username, password }); if (!res.ok) show(res.message);
 */
export function createApi(options: ApiOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  const once = async <T>(method: string, path: string, schema: Schema<T>, body: unknown, token: string | null, background = false): Promise<ApiResult<T>> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token !== null) headers[CSRF_HEADER] = token;
    if (background) headers[BACKGROUND_HEADER] = '1';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      return { ok: false, status: 0, code: 'network', message: 'could not reach the server', retryAfterSeconds: null };
    }
    const date = Date.parse(res.headers.get('Date') ?? '');
    if (!Number.isNaN(date)) options.onServerDate?.(date, Date.now());
    if (!res.ok) {
      const parsed = apiErrorSchema.safeParse(await readJson(res));
      const error = parsed.success ? parsed.data.error : { code: res.status === 401 ? 'unauthenticated' : 'http_error', message: `the server answered ${res.status}` };
      return { ok: false, status: res.status, code: error.code, message: error.message, retryAfterSeconds: retryAfter(res) };
    }
    if (schema === NO_BODY) return { ok: true, status: res.status, data: undefined as T };
    const parsed = schema.safeParse(await readJson(res));
    if (!parsed.success) return { ok: false, status: res.status, code: 'bad_response', message: 'the server sent an unexpected answer', retryAfterSeconds: null };
    return { ok: true, status: res.status, data: parsed.data };
  };

  /** A state-changing request: carries the CSRF token; after csrf_invalid, one retry with a fresh one. */
  const send = async <T>(method: string, path: string, schema: Schema<T>, body?: unknown): Promise<ApiResult<T>> => {
    const first = await once(method, path, schema, body, await options.token());
    if (!first.ok && first.code === 'reauthentication_required' && options.stepUp) {
      return (await options.stepUp()) ? once(method, path, schema, body, await options.token()) : first;
    }
    if (first.ok || first.code !== 'csrf_invalid') return first;
    const fresh = await options.refreshToken();
    return fresh === null ? first : once(method, path, schema, body, fresh);
  };

  return {
    /**
     * `background`: the page asks by itself (after a push, another tab's message, the tab shown), so
     * the request is not the user's activity and does not move the idle deadline.
     */
    session: ({ background = false }: { background?: boolean } = {}): Promise<ApiResult<SessionState>> =>
      once('GET', '/api/session', sessionStateSchema, undefined, null, background),
    login: (body: LoginBody): Promise<ApiResult<SignedIn>> => send('POST', '/api/login', signedInSchema, body),
    register: (body: LoginBody): Promise<ApiResult<SignedIn>> => send('POST', '/api/register', signedInSchema, body),
    logout: (): Promise<ApiResult<void>> => send('POST', '/api/logout', NO_BODY),
    logoutEverywhere: (): Promise<ApiResult<void>> => send('POST', '/api/logout-everywhere', NO_BODY),
    /** Always a background request: the list is fetched after pushes, connects and revokes, never as activity. */
    sessions: (): Promise<ApiResult<SessionList>> => once('GET', '/api/sessions', sessionListSchema, undefined, null, true),
    revoke: (id: string): Promise<ApiResult<void>> => send('DELETE', `/api/sessions/${encodeURIComponent(id)}`, NO_BODY),
    /** The history, newest first; a background request (fetched after pushes). */
    activity: (before?: string): Promise<ApiResult<ActivityPage>> => once('GET', `/api/activity${before ? `?before=${encodeURIComponent(before)}` : ''}`, activityPageSchema, undefined, null, true),
    /** Step-up: confirms the password (never itself retried through `stepUp`). */
    reauthenticate: async (password: string): Promise<ApiResult<Reauthenticated>> => once('POST', '/api/reauthenticate', reauthenticatedSchema, { password }, await options.token()),
    changePassword: (body: PasswordChangeBody): Promise<ApiResult<PasswordChanged>> => send('POST', '/api/password', passwordChangedSchema, body),
  };
}

export type Api = ReturnType<typeof createApi>;
