// Attacks on who a socket or request belongs to: foreign origins, stolen, replayed and planted cookies, borrowed tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../server/testing/index.js';
import { errorCode, expectUnharmed, PASSWORD, RawSocket, startArena, uniqueName, type Arena } from './support.js';

let arena: Arena;
beforeAll(async () => {
  arena = await startArena();
});
afterAll(() => arena.close());

describe('cross-site WebSocket hijacking', () => {
  it('a page on a foreign Origin riding the victim’s cookie (even with the token) is refused with origin_not_allowed', async () => {
    const victim = await arena.signedIn('victim');
    expect(await victim.refusedTab({ origin: 'https://evil.example' })).toBe('origin_not_allowed');
    // The refusal came before the session was looked at: no socket, no activity.
    expect(arena.server.tether.sockets.stats().sockets).toBe(1);
    await expectUnharmed(arena);
  });

  it('Origin: null (a sandboxed iframe or a file:// page) is refused with origin_not_allowed', async () => {
    const victim = await arena.signedIn('victim');
    expect(await victim.refusedTab({ origin: 'null' })).toBe('origin_not_allowed');
    await expectUnharmed(arena);
  });

  it.each([
    ['a trailing slash', (o: string) => `${o}/`],
    ['another scheme', (o: string) => o.replace('http:', 'https:')],
    ['another port', (o: string) => o.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`)],
    ['upper case', (o: string) => o.toUpperCase()],
    ['a suffix domain', (o: string) => `${o}.evil.example`],
    ['user info', (o: string) => o.replace('http://', 'http://127.0.0.1@')],
  ])('an Origin that differs from an allowed one by %s is refused with origin_not_allowed (exact match)', async (_what, twist) => {
    const victim = await arena.signedIn('victim');
    expect(await victim.refusedTab({ origin: twist(arena.server.origin) })).toBe('origin_not_allowed');
    await expectUnharmed(arena);
  });
});

describe('a stolen cookie', () => {
  it('with the attacker’s own CSRF token opens no socket (csrf_invalid) and signs nobody out (403), and the victim lives on', async () => {
    const victim = await arena.signedIn('victim');
    const victimTab = await victim.openTab();
    const mallory = await arena.signedIn('mallory');
    expect(await mallory.refusedTab({ cookie: victim.cookieHeader, csrfToken: mallory.csrfToken })).toBe('csrf_invalid');
    // A jar-less client: the stolen cookie and Mallory's token are exactly what is sent.
    const res = await new TestBrowser(arena.server.url).request('POST', '/api/logout', { headers: { cookie: victim.cookieHeader, 'x-csrf-token': mallory.csrfToken! } });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('csrf_invalid');
    expect(victimTab.connected).toBe(true);
    expect(await victimTab.touch()).toMatchObject({ ok: true });
    expect((await victim.session()).user).not.toBeNull();
    victimTab.close();
    await expectUnharmed(arena);
  });
});

describe('replay of a cookie after logout', () => {
  it('is signed out over HTTP (401 unauthenticated) and over a socket (unauthenticated), and the session never comes back', async () => {
    const victim = await arena.signedIn('victim');
    const cookie = victim.cookieHeader;
    const token = victim.csrfToken;
    const sid = victim.sessionId!;
    expect((await victim.logout()).status).toBe(204);

    const replay = new TestBrowser(arena.server.url);
    const res = await replay.request('GET', '/api/sessions', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('unauthenticated');
    const refused = await replay.request('POST', '/api/logout-everywhere', { headers: { cookie, 'x-csrf-token': token! } });
    expect(refused.status).toBe(403);
    expect(await replay.refusedTab({ cookie, csrfToken: token })).toBe('unauthenticated');
    expect(await arena.server.tether.stores.store.get(sid)).toBeNull();
    await expectUnharmed(arena);
  });
});

describe('the CSRF token of another session', () => {
  it('is refused with 403 csrf_invalid on sign-out, sign-out everywhere, revoke and password change, and nothing ends', async () => {
    const victim = await arena.signedIn('victim');
    const victimTab = await victim.openTab();
    const { sessions } = await victim.sessions();
    const other = await arena.signedIn('other');
    const borrowed = { 'x-csrf-token': other.csrfToken! };
    const attempts = [
      await victim.request('POST', '/api/logout', { headers: borrowed }),
      await victim.request('POST', '/api/logout-everywhere', { headers: borrowed }),
      await victim.request('DELETE', `/api/sessions/${sessions[0]!.id}`, { headers: borrowed }),
      await victim.request('POST', '/api/password', { headers: borrowed, body: { currentPassword: PASSWORD, newPassword: 'taken over horse' } }),
    ];
    expect(attempts.map((r) => [r.status, errorCode(r.body)])).toEqual(Array(4).fill([403, 'csrf_invalid']));
    expect(await victim.refusedTab({ csrfToken: other.csrfToken })).toBe('csrf_invalid');
    expect(victimTab.connected).toBe(true);
    expect((await victim.session()).user).not.toBeNull();
    expect((await victim.sessions()).sessions).toHaveLength(1);
    victimTab.close();
    await expectUnharmed(arena);
  });
});

describe('session fixation', () => {
  it('a pre-login cookie planted in the victim’s browser authenticates nothing once the victim signs in', async () => {
    const attacker = new TestBrowser(arena.server.url);
    const { csrfToken } = await attacker.session();
    const planted = attacker.cookieHeader;
    // The victim's browser carries the attacker's cookie and signs in with it.
    const name = uniqueName('victim');
    const victim = new TestBrowser(arena.server.url);
    for (const [k, v] of attacker.cookies) victim.cookies.set(k, v);
    victim.csrfToken = csrfToken;
    expect((await victim.register(name, PASSWORD)).status).toBe(201);
    expect(victim.cookieHeader).not.toBe(planted);
    // The attacker, holding the planted cookie and its token, is still signed out everywhere.
    expect((await attacker.session()).user).toBeNull();
    expect(await attacker.refusedTab({ csrfToken })).toBe('unauthenticated');
    await expectUnharmed(arena);
  });
});

describe('a raw WebSocket that skips the Socket.IO client', () => {
  it('with a foreign Origin gets a CONNECT_ERROR origin_not_allowed and no namespace', async () => {
    const victim = await arena.signedIn('victim');
    const raw = await RawSocket.open(arena.server, { cookie: victim.cookieHeader, origin: 'https://evil.example' });
    raw.send(`40${JSON.stringify({ csrfToken: victim.csrfToken })}`);
    const refusal = await raw.next((m) => m.startsWith('44'));
    expect(JSON.parse(refusal.slice(2))).toEqual({ message: 'origin_not_allowed', data: { code: 'origin_not_allowed' } });
    raw.close();
    await expectUnharmed(arena);
  });
});
