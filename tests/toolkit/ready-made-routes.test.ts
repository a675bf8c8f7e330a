// tetherRoutes in an app of another shape (accounts in a Map, scrypt): the contract's HTTP API, end of every tab included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, SessionState, SignedIn } from '../../shared/api.js';
import { startTestServer, type TestServer } from '../../server/testing/index.js';
import { createRoutesApp, type RoutesApp } from './routes-app.js';

const PASSWORD = 'a long enough password';
let app: RoutesApp;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => (app = createRoutesApp()));
});
afterAll(async () => server?.close());

describe('when a user registers, signs in from a second browser and signs out everywhere', () => {
  it('ends the tabs of both browsers with logout_everywhere', async () => {
    const laptop = server.browser();
    const registered = await laptop.register('Ann', PASSWORD);
    expect(registered.status).toBe(201);
    const { user } = registered.body as SignedIn;
    expect(user.username).toBe('Ann');
    const phone = server.browser();
    expect((await phone.login('ann', PASSWORD)).status).toBe(200);
    const tabs = [await laptop.openTab(), await phone.openTab()];

    expect((await laptop.logoutEverywhere()).status).toBe(204);
    expect(await Promise.all(tabs.map((tab) => tab.ended()))).toEqual(['logout_everywhere', 'logout_everywhere']);
    expect((await phone.session()).user).toBeNull();
    expect(app.happened).toEqual([`registered ${user.id}`, `signed_in ${user.id}`, `everywhere ${user.id}`]);
  });
});

describe('when a user with two sessions changes the password', () => {
  it('renews this session and ends the other one with password_changed', async () => {
    const laptop = server.browser();
    await laptop.register('bob', PASSWORD);
    const phone = server.browser();
    await phone.login('bob', PASSWORD);
    const [mine, theirs] = [await laptop.openTab(), await phone.openTab()];
    const before = laptop.sessionId;

    expect((await laptop.changePassword(PASSWORD, 'another long password')).status).toBe(200);
    await mine.renewed();
    expect(await theirs.ended()).toBe('password_changed');
    expect(laptop.sessionId).not.toBe(before);
    expect((await laptop.session()).user?.username).toBe('bob');
    expect((await phone.session()).user).toBeNull();
    expect((await server.browser().login('bob', PASSWORD)).status).toBe(401);
    expect((await server.browser().login('bob', 'another long password')).status).toBe(200);
  });
});

describe('what a signed-in browser reads', () => {
  it('GET /api/session carries the app’s own fields; GET /api/sessions counts the open tabs', async () => {
    const cleo = server.browser();
    await cleo.register('cleo', PASSWORD);
    await cleo.openTab();
    const state = await cleo.request<SessionState & { plan: string }>('GET', '/api/session');
    expect(state.body).toMatchObject({ user: { username: 'cleo' }, plan: 'free', idleTimeoutMs: 30 * 60_000 });
    expect((await cleo.sessions()).sessions).toEqual([expect.objectContaining({ current: true, sockets: 1 })]);
  });
});

describe('when a request is bad', () => {
  it('answers a body that breaks the schema with 400 invalid_input in the error shape', async () => {
    const res = await server.browser().register('x', PASSWORD);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_input', message: expect.any(String) } });
  });

  it('answers malformed JSON, a taken name and an unknown route in the error shape too', async () => {
    const dana = server.browser();
    await dana.register('dana', PASSWORD);
    const malformed = await dana.request<ApiError>('POST', '/api/password', { raw: '{"currentPassword":', headers: { 'content-type': 'application/json' } });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    const taken = await server.browser().register('DANA', PASSWORD);
    expect([taken.status, (taken.body as ApiError).error.code]).toEqual([409, 'username_taken']);
    const unknown = await dana.request<ApiError>('GET', '/api/nothing-here');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('when someone guesses a password (the default sign-in limit)', () => {
  it('answers the sixth attempt with 429 rate_limited and Retry-After, even with the right password', async () => {
    await server.browser().register('erin', PASSWORD);
    const guesser = server.browser();
    for (let i = 0; i < 5; i += 1) expect((await guesser.login('erin', `wrong guess ${i}`)).status).toBe(401);
    const limited = await guesser.login('erin', PASSWORD);
    expect([limited.status, (limited.body as ApiError).error.code]).toEqual([429, 'rate_limited']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
