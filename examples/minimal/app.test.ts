// The example's own tests through tether-session's test kit: the real cookie, CSRF token, Origin and WebSocket path.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestBrowser } from 'tether-session/testing';
import { createApp } from './app.js';

let app: ReturnType<typeof createApp>;
let url: string;
beforeEach(async () => {
  app = createApp();
  await new Promise<void>((listening) => app.httpServer.listen(0, '127.0.0.1', listening));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
});
afterEach(() => app.close());

/** A browser signed in through the app's own route (the token comes from GET /hello, then /signin). */
async function signedIn(name: string): Promise<TestBrowser> {
  const browser = new TestBrowser(url);
  browser.csrfToken = (await browser.request<{ csrfToken: string }>('GET', '/hello')).body.csrfToken;
  browser.csrfToken = (await browser.request<{ csrfToken: string }>('POST', '/signin', { body: { name } })).body.csrfToken;
  return browser;
}

describe('when a user with two tabs open signs out', () => {
  it('ends both tabs with session:ended', async () => {
    const ann = await signedIn('Ann');
    const tabs = [await ann.openTab(), await ann.openTab()];
    expect((await ann.request('POST', '/signout')).status).toBe(204);
    expect(await Promise.all(tabs.map((tab) => tab.ended()))).toEqual(['logout', 'logout']);
  });
});

describe('when a visitor has not signed in', () => {
  it('gets no socket', async () => {
    expect(await new TestBrowser(url).refusedTab()).toBe('unauthenticated');
  });
});

describe('when a sign-in comes without the CSRF token', () => {
  it('is refused with 403 and a JSON error', async () => {
    const res = await new TestBrowser(url).request('POST', '/signin', { body: { name: 'Eve' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'csrf_invalid' } });
  });
});
