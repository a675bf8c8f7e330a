// An app of its own shape (its own sign-in route and events) built only from the toolkit's entry points, tested with the kit.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tetherExpress } from '../../server/express/index.js';
import { createSessionLifecycle } from '../../server/sessions/index.js';
import { tetherSocketIO } from '../../server/socketio/index.js';
import { startTestServer, type TestServer } from '../../server/testing/index.js';

const SECRET = 'a test secret of some length';

function createChatApp() {
  const lifecycle = createSessionLifecycle();
  const sessions = tetherExpress(lifecycle, { secrets: [SECRET] });
  const app = express();
  app.use(express.json(), sessions.middleware);
  app.get('/me', (req, res) => res.json({ csrfToken: sessions.csrfToken(req, res), user: sessions.current(req)?.record.username ?? null }));
  app.post('/signin', async (req, res) => {
    const name = String((req.body as { username?: unknown }).username);
    await sessions.signIn(req, res, { userId: name, username: name });
    res.json({ csrfToken: sessions.csrfToken(req, res) });
  });
  app.post('/signout', async (req, res) => {
    await sessions.signOut(req, res);
    res.sendStatus(204);
  });
  const httpServer = createServer(app);
  const io = new Server(httpServer);
  const sockets = tetherSocketIO(io, lifecycle, { secrets: [SECRET] });
  sockets.on('chat', z.object({ text: z.string().max(200) }), ({ text }) => ({ ok: true, echo: text }));
  return { httpServer, close: () => new Promise<void>((resolve) => void io.close(() => resolve())).then(() => lifecycle.close()) };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(createChatApp, { browser: { routes: { session: '/me', login: '/signin', logout: '/signout' } } });
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
