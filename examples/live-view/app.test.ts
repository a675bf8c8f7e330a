// The live-view example through the test kit: a view of the app's own, its schemas on both sides, the runtime's guarantees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestBrowser, type TestServer } from 'tether-session/testing';
import { createApp } from './app.js';
import { shoutSchemas } from './shout.js';

let server: TestServer;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  server = await startTestServer(() => (app = createApp()), { browser: { routes: { session: '/hello', logout: '/signout' } } });
});
afterAll(() => server.close());

async function signedIn(name: string): Promise<TestBrowser> {
  const browser = server.browser();
  browser.csrfToken = (await browser.post<{ csrfToken: string }>('/signin', { name })).body.csrfToken;
  return browser;
}

describe('when one user shouts', () => {
  it("another user's tab gets the new list as a patch, checked by the same schemas", async () => {
    const ann = await (await signedIn('Ann')).openTab();
    const bob = await (await signedIn('Bob')).openTab();
    expect(await ann.join(shoutSchemas)).toEqual({ shouts: [] });
    await bob.join(shoutSchemas);
    const patch = bob.patch(shoutSchemas);
    expect(await ann.liveEvent(shoutSchemas, 'post', { text: '  hello  ' })).toEqual({ ok: true });
    expect(await patch).toEqual({ shouts: [{ by: 'Ann', text: 'hello', at: expect.any(Number) }] });
  });
});

describe('when a payload does not fit the view’s own schema', () => {
  it('gets invalid_input, an unknown event unknown_event, an unknown view invalid_input', async () => {
    const tab = await (await signedIn('Cy')).openTab();
    await tab.join(shoutSchemas);
    expect(await tab.socket.timeout(2000).emitWithAck('live:event', { view: 'shout', event: 'post', payload: { text: '' } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await tab.socket.timeout(2000).emitWithAck('live:event', { view: 'shout', event: 'delete', payload: {} })).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    expect(await tab.socket.timeout(2000).emitWithAck('live:join', { view: 'board' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('when the session ends', () => {
  it('ends the tab with session:ended, and its view instance with it', async () => {
    const dee = await signedIn('Dee');
    const tab = await dee.openTab();
    await tab.join(shoutSchemas);
    const before = app.live.size;
    expect((await dee.logout()).status).toBe(204);
    expect(await tab.ended()).toBe('logout');
    // The server ends its sockets (and with them their view instances) before anything is sent.
    expect(app.live.size).toBe(before - 1);
  });
});
