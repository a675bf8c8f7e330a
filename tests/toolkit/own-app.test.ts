// An app of its own shape (its own sign-in route and events) built only from the toolkit's entry points, tested with the kit.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/testing/index.js';
import { chatRoutes, createChatApp } from './chat-app.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(() => createChatApp(), { browser: chatRoutes });
});
afterAll(async () => server?.close());

describe('an app with its own sign-in route and events', () => {
  it('signing out in one tab ends both tabs of the browser', async () => {
    const ann = server.browser();
    expect((await ann.login('ann', 'any password')).status).toBe(200);
    const [one, two] = await Promise.all([ann.openTab(), ann.openTab()]);
    expect((await ann.logout()).status).toBe(204);
    expect([await one.ended(), await two.ended()]).toEqual(['logout', 'logout']);
  });

  it('its own events are validated and acked; a signed-out browser gets no socket', async () => {
    const bob = server.browser();
    expect(await bob.refusedTab()).toBe('unauthenticated');
    await bob.login('bob', 'any password');
    const tab = await bob.openTab();
    // The app's own event map is not the contract's: talk to it as an untyped socket.
    const socket = tab.socket as unknown as Socket;
    expect(await socket.timeout(2000).emitWithAck('chat', { text: 'hi' })).toEqual({ ok: true, echo: 'hi' });
    expect(await socket.timeout(2000).emitWithAck('chat', { text: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
