// A chat app of its own shape (GET /me, POST /signin, POST /signout, a 'chat' event) built only from the toolkit's entry points.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { z } from 'zod';
import { tetherExpress } from '../../server/express/index.js';
import { clientCommands, connectRedis, createRedisRegistry, createRedisSessionStore, createTetherAdapter, disconnectRedis, redisKeys } from '../../server/scale/index.js';
import { createSessionLifecycle, silentLogger, systemClock, type SessionLifecycleOptions } from '../../server/sessions/index.js';
import { tetherSocketIO } from '../../server/socketio/index.js';
import type { TestableApp, TestBrowserOptions } from '../../server/testing/index.js';

const SECRET = 'a test secret of some length';
const ABSOLUTE_MS = 8 * 3600_000;

/** The kit's browsers, told this app's routes. */
export const chatRoutes: TestBrowserOptions = { routes: { session: '/me', login: '/signin', logout: '/signout' } };

/** One node; with `redis`, sessions live there and ends reach every node through it. */
export async function createChatApp(redis?: { url: string; prefix: string }): Promise<TestableApp> {
  const keys = redis ? redisKeys(redis.prefix) : undefined;
  const client = redis ? await connectRedis({ url: redis.url, log: silentLogger, role: 'commands', failFast: true }) : undefined;
  const sub = redis ? await connectRedis({ url: redis.url, log: silentLogger, role: 'subscriber' }) : undefined;
  const stores: SessionLifecycleOptions =
    client && keys
      ? {
          store: createRedisSessionStore({ client: clientCommands(client), native: client, keys, clock: systemClock, absoluteTimeoutMs: ABSOLUTE_MS }),
          registry: createRedisRegistry({ client: clientCommands(client), keys, clock: systemClock, absoluteTimeoutMs: ABSOLUTE_MS }),
        }
      : {};
  const lifecycle = createSessionLifecycle({ ...stores, absoluteTimeoutMs: ABSOLUTE_MS });
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
  if (client && sub && keys) io.adapter(createTetherAdapter({ pub: client, sub, keys, log: silentLogger, retriedEvents: new Set(['tether:end', 'tether:renew']) }));
  const sockets = tetherSocketIO(io, lifecycle, { secrets: [SECRET], clustered: Boolean(redis) });
  sockets.on('chat', z.object({ text: z.string().max(200) }), ({ text }) => ({ ok: true, echo: text }));
  return {
    httpServer,
    async close() {
      sockets.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      lifecycle.close();
      await Promise.all([client && disconnectRedis(client), sub && disconnectRedis(sub)]);
    },
  };
}
