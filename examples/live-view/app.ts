// An app of its own shape with one live view: sign in by name, then a shout box shared by everyone signed in.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import { z } from 'zod';
import { createMemorySessionStore, createSessionLifecycle, silentLogger } from 'tether-session/sessions';
import { tetherExpress } from 'tether-session/express';
import { tetherSocketIO } from 'tether-session/socketio';
import { createLiveRuntime, createTopics } from 'tether-session/live';
import { createShoutView } from './shout-view.js';

const SECRET = process.env.SESSION_SECRET ?? 'a development secret, at least 16 characters';

export function createApp() {
  const lifecycle = createSessionLifecycle({ store: createMemorySessionStore() });
  const sessions = tetherExpress(lifecycle, { secrets: [SECRET] });
  const app = express();
  app.use(express.json(), sessions.middleware);
  app.get('/hello', (req, res) => void res.json({ csrfToken: sessions.csrfToken(req, res) }));
  app.post('/signin', async (req, res) => {
    const name = z.string().trim().min(1).max(40).parse(req.body?.name);
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
  // live:join, live:event and live:leave go through the binding's router: validated, rate-limited,
  // refused once the session ended. `username` names a user id (here the id is the name).
  const live = createLiveRuntime({
    io,
    lifecycle,
    router: sockets,
    topics: createTopics(io, false),
    log: silentLogger,
    views: [createShoutView()],
    username: async (userId) => userId,
  });

  const close = async (): Promise<void> => {
    sockets.close();
    await io.close();
    lifecycle.close();
  };
  return { httpServer, close, live };
}
