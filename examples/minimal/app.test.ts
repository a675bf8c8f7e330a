// The example's own tests through tether-session's test kit: the real cookie, CSRF token, Origin and WebSocket path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestBrowser, type TestServer } from 'tether-session/testing';
import { createApp } from './app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(createApp, { browser: { routes: { session: '/hello', logout: '/signout' } } });
});
afterAll(() => server.close());

/** A browser signed in through the app's own route, holding the token it answered with. */
async function signedIn(name: string): Promise<TestBrowser> {
  const browser = server.browser();
  browser.csrfToken = (await browser.post<{ csrfToken: string }>('/signin', { name })).body.csrfToken;
  return browser;
}

describe('when a user with two tabs open signs out', () => {
  it('ends both tabs with session:ended', async () => {
    const ann = await signedIn('Ann');
    const tabs = [await ann.openTab(), await ann.openTab()];
    expect((await ann.logout()).status).toBe(204);
    expect(await Promise.all(tabs.map((tab) => tab.ended()))).toEqual(['logout', 'logout']);
  });
});

describe('when a visitor has not signed in', () => {
  it('gets no socket', async () => {
    expect(await server.browser().refusedTab()).toBe('unauthenticated');
  });
});

describe('when a sign-in comes without the CSRF token', () => {
  it('is refused with 403 and a JSON error', async () => {
    const res = await server.browser().request('POST', '/signin', { body: { name: 'Eve' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'csrf_invalid' } });
  });
});
