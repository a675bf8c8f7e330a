// Register, sign in, sign out over HTTP: the first rows of CONTRACT.md's HTTP table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

let server: DashboardServer;
beforeAll(async () => {
  server = await startDashboard();
});
afterAll(() => server.close());

const errorCode = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;
let n = 0;
const uniqueName = (base: string): string => `${base}${++n}`;

describe('GET /api/session', () => {
  it('starts an anonymous session with a CSRF token and no deadlines', async () => {
    const b = server.browser();
    const s = await b.session();
    expect(s).toEqual({ user: null, csrfToken: expect.any(String), idleExpiresAt: null, absoluteExpiresAt: null, idleTimeoutMs: 1_800_000, preferences: { theme: 'system' } });
    // Nothing is stored for a signed-out visitor: the token is stateless and signed, in its own cookie.
    expect(b.cookies.has('sid')).toBe(false);
    expect(b.cookies.has('csrf')).toBe(true);
  });
});

describe('when someone registers', () => {
  it('answers 201 with the user, signed in under a new session ID', async () => {
    const b = server.browser();
    await b.session();
    const anonymous = b.cookies.get('sid');
    const name = uniqueName('Alice');
    const res = await b.register(name, 'correct horse');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ user: { id: expect.any(String), username: name }, csrfToken: expect.any(String) });
    expect(b.cookies.get('sid')).not.toBe(anonymous);
    const s = await b.session();
    expect(s.user?.username).toBe(name);
    expect(s.absoluteExpiresAt! - s.idleExpiresAt!).toBeGreaterThan(0);
  });

  it('refuses a username taken in another case with 409 username_taken', async () => {
    const name = uniqueName('bob');
    expect((await server.browser().register(name, 'correct horse')).status).toBe(201);
    const res = await server.browser().register(name.toUpperCase(), 'another horse');
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('username_taken');
  });

  it.each([
    ['a too short username', { username: 'ab', password: 'correct horse' }],
    ['a username with a space', { username: 'a b c', password: 'correct horse' }],
    ['a too long username', { username: 'a'.repeat(33), password: 'correct horse' }],
    ['a short password', { username: 'carol1', password: 'short' }],
    ['a password over 256 characters', { username: 'carol2', password: 'x'.repeat(257) }],
    ['a missing field', { username: 'carol3' }],
    ['a number for a password', { username: 'carol4', password: 12345678 }],
  ])('refuses %s with 400 invalid_input', async (_what, body) => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/register', { body });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('invalid_input');
  });
});

describe('when someone signs in', () => {
  it('matches the username case-insensitively and shows it as first registered', async () => {
    const name = uniqueName('Dora');
    await server.browser().register(name, 'correct horse');
    const b = server.browser();
    const res = await b.login(name.toLowerCase(), 'correct horse');
    expect(res.status).toBe(200);
    expect((res.body as { user: { username: string } }).user.username).toBe(name);
  });

  it('issues a new session ID: the pre-login cookie no longer authenticates', async () => {
    const name = uniqueName('erin');
    await server.browser().register(name, 'correct horse');
    const b = server.browser();
    await b.session();
    const before = b.cookies.get('sid')!;
    await b.login(name, 'correct horse');
    const after = b.cookies.get('sid')!;
    expect(after).not.toBe(before);
    const stale = server.browser();
    stale.cookies.set('sid', before);
    expect((await stale.session()).user).toBeNull();
    expect((await stale.request('GET', '/api/sessions')).status).toBe(401);
  });

  it('refuses a wrong password and an unknown user alike with 401 invalid_credentials', async () => {
    const name = uniqueName('fred');
    await server.browser().register(name, 'correct horse');
    const wrong = await server.browser().login(name, 'wrong horse!');
    const unknown = await server.browser().login(uniqueName('nobody'), 'wrong horse!');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unknown.body);
    expect(errorCode(wrong.body)).toBe('invalid_credentials');
  });

  it('after 5 failures within 15 minutes answers 429 with Retry-After, even with the right password', async () => {
    const name = uniqueName('gina');
    await server.browser().register(name, 'correct horse');
    const b = server.browser();
    for (let i = 0; i < 5; i++) expect((await b.login(name, 'wrong horse!')).status).toBe(401);
    const res = await b.login(name, 'correct horse');
    expect(res.status).toBe(429);
    expect(errorCode(res.body)).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('does not count successful sign-ins toward the limit', async () => {
    const name = uniqueName('hugo');
    await server.browser().register(name, 'correct horse');
    for (let i = 0; i < 7; i++) expect((await server.browser().login(name, 'correct horse')).status).toBe(200);
  });
});

describe('the session cookie', () => {
  it('is sid, HttpOnly, SameSite=Lax, Path=/, no Domain, expiring at the absolute deadline on every response', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/register', { body: { username: uniqueName('ivan'), password: 'correct horse' } });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie).not.toMatch(/Secure/);
    const s = await b.session();
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
    expect(Math.abs(expires - s.absoluteExpiresAt!)).toBeLessThan(1000);
  });

  it('never holds a password, hash or secret in the session', async () => {
    const b = server.browser();
    const password = 'super secret horse';
    await b.register(uniqueName('jill'), password);
    const sid = b.sessionId!;
    const stored = JSON.stringify(await server.tether.stores.store.get(sid));
    expect(stored).not.toContain(password);
    expect(stored).not.toContain('argon2');
    expect(Object.keys(JSON.parse(stored) as object).sort()).toEqual(
      ['absoluteExpiresAt', 'app', 'createdAt', 'csrfToken', 'freshUntil', 'handle', 'idleExpiresAt', 'ip', 'lastSeenAt', 'userAgent', 'userId', 'username'].sort(),
    );
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the token with 403 csrf_invalid and changes nothing', async () => {
    const b = server.browser();
    await b.session();
    const name = uniqueName('kate');
    const res = await b.request('POST', '/api/register', { body: { username: name, password: 'correct horse' }, csrf: false });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('csrf_invalid');
    expect((await server.browser().login(name, 'correct horse')).status).toBe(401);
  });

  it('refuses another session\'s token', async () => {
    const a = server.browser();
    const other = server.browser();
    await a.session();
    const { csrfToken } = await other.session();
    const res = await a.request('POST', '/api/login', { body: { username: 'x', password: 'y' }, headers: { 'x-csrf-token': csrfToken } });
    expect(res.status).toBe(403);
  });

  it('refuses sign-out without the token, and the session stays', async () => {
    const b = server.browser();
    await b.register(uniqueName('liam'), 'correct horse');
    const res = await b.request('POST', '/api/logout', { csrf: false });
    expect(res.status).toBe(403);
    expect((await b.session()).user).not.toBeNull();
  });
});

describe('POST /api/logout', () => {
  it('answers 204, clears the cookie, and the old cookie no longer authenticates', async () => {
    const b = server.browser();
    await b.register(uniqueName('mona'), 'correct horse');
    const cookie = b.cookies.get('sid')!;
    const res = await b.logout();
    expect(res.status).toBe(204);
    expect(b.cookies.has('sid')).toBe(false);
    const replay = server.browser();
    replay.cookies.set('sid', cookie);
    expect((await replay.session()).user).toBeNull();
  });

  it('answers 204 when already signed out', async () => {
    const b = server.browser();
    await b.session();
    expect((await b.logout()).status).toBe(204);
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/login', { raw: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('invalid_json');
  });

  it('answers a body that is not JSON with 415 unsupported_media_type', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/login', { raw: 'username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(errorCode(res.body)).toBe('unsupported_media_type');
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/register', { body: { username: 'big', password: 'x'.repeat(100_000) } });
    expect(res.status).toBe(413);
    expect(errorCode(res.body)).toBe('payload_too_large');
  });

  it('answers an unknown /api route with 404 not_found', async () => {
    const res = await server.browser().request('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe('not_found');
  });

  it('never answers with a stack trace', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/login', { raw: '{bad', headers: { 'content-type': 'application/json' } });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
