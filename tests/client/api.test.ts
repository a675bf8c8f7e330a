// The fetch wrapper: JSON and the error shape, the CSRF header, one retry after csrf_invalid, Retry-After.
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../client/api.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
const error = (status: number, code: string, message = code, headers: Record<string, string> = {}): Response => json(status, { error: { code, message } }, headers);

function setup(responses: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  let token = 'tok-1';
  const refreshToken = vi.fn(async () => {
    token = 'tok-2';
    return token;
  });
  const api = createApi({ fetch, token: async () => token, refreshToken });
  const header = (i: number, name: string): string | undefined => (calls[i]?.init?.headers as Record<string, string> | undefined)?.[name];
  return { api, calls, refreshToken, header };
}

describe('createApi', () => {
  it('sends JSON with the CSRF token on state-changing requests', async () => {
    const { api, calls, header } = setup([json(200, { user: { id: 'u1', username: 'alice' }, csrfToken: 'new' })]);
    const res = await api.login({ username: 'alice', password: 'pw' });
    expect(res).toEqual({ ok: true, status: 200, data: { user: { id: 'u1', username: 'alice' }, csrfToken: 'new' } });
    expect(calls[0]?.url).toBe('/api/login');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.body).toBe('{"username":"alice","password":"pw"}');
    expect(header(0, 'X-CSRF-Token')).toBe('tok-1');
    expect(header(0, 'Content-Type')).toBe('application/json');
  });

  it('sends no body and no Content-Type when there is nothing to send', async () => {
    const { api, calls, header } = setup([new Response(null, { status: 204 })]);
    await expect(api.logout()).resolves.toEqual({ ok: true, status: 204, data: undefined });
    expect(calls[0]?.init?.body).toBeUndefined();
    expect(header(0, 'Content-Type')).toBeUndefined();
  });

  it('returns the error shape as a failure', async () => {
    const { api } = setup([error(409, 'username_taken', 'that username is taken')]);
    await expect(api.register({ username: 'alice', password: 'password1' })).resolves.toEqual({
      ok: false,
      status: 409,
      code: 'username_taken',
      message: 'that username is taken',
      retryAfterSeconds: null,
    });
  });

  it('reads Retry-After (seconds) on 429', async () => {
    const { api } = setup([error(429, 'rate_limited', 'too many', { 'Retry-After': '42' })]);
    const res = await api.login({ username: 'a', password: 'b' });
    expect(res.ok === false && res.retryAfterSeconds).toBe(42);
  });

  describe('when the token is stale (403 csrf_invalid)', () => {
    it('refreshes it and retries once', async () => {
      const { api, refreshToken, header } = setup([error(403, 'csrf_invalid'), new Response(null, { status: 204 })]);
      const res = await api.revoke('abc');
      expect(res.ok).toBe(true);
      expect(refreshToken).toHaveBeenCalledTimes(1);
      expect(header(1, 'X-CSRF-Token')).toBe('tok-2');
    });
    it('retries only once', async () => {
      const { api, calls } = setup([error(403, 'csrf_invalid'), error(403, 'csrf_invalid')]);
      const res = await api.logout();
      expect(res.ok === false && res.code).toBe('csrf_invalid');
      expect(calls).toHaveLength(2);
    });
    it('does not repeat when the refresh says the session changed hands', async () => {
      const fetch = vi.fn(async () => error(403, 'csrf_invalid'));
      const api = createApi({ fetch, token: async () => 't', refreshToken: async () => null });
      await api.login({ username: 'a', password: 'b' });
      expect(fetch).toHaveBeenCalledTimes(1);
    });
  });

  it('reports a network failure as code "network"', async () => {
    const { api } = setup([new TypeError('Failed to fetch')]);
    const res = await api.session();
    expect(res.ok === false && res.code).toBe('network');
  });

  it('refuses a body that does not match the contract', async () => {
    const { api } = setup([json(200, { user: null })]);
    const res = await api.session();
    expect(res.ok === false && res.code).toBe('bad_response');
  });

  it('encodes the session handle in the path', async () => {
    const { api, calls } = setup([new Response(null, { status: 204 })]);
    await api.revoke('a/b');
    expect(calls[0]?.url).toBe('/api/sessions/a%2Fb');
    expect(calls[0]?.init?.method).toBe('DELETE');
  });
});
