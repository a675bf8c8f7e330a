// Baseline (b): the Socket.IO documentation's express-session recipe ("How to use with
// express-session"): `io.engine.use(sessionMiddleware)`, one room per session ID, and a logout that
// destroys the session, then `io.to(sessionId).disconnectSockets()`. Sessions live in memorystore.
// Written as the docs write it (resave and saveUninitialized on), plus the sign-in check any real
// app needs before a socket exists. Its expiry check (a reload every 30 s per socket) is left out,
// which only makes the baseline cheaper.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import express from 'express';
import session, { type Session } from 'express-session';
import createMemoryStore from 'memorystore';
import { Server } from 'socket.io';
import { PLAIN_ACK_EVENT } from './plain.js';
import type { RunningServer } from './running.js';

/** The recipe's equivalent of `session:touch`: reload, touch and save the session, then ack. */
export const RECIPE_TOUCH_EVENT = 'session:touch';

interface RecipeUser {
  id: string;
  username: string;
}

type RecipeSession = Session & { user?: RecipeUser };
type SessionRequest = IncomingMessage & { session?: RecipeSession };

const sessionOf = (req: IncomingMessage): RecipeSession | undefined => (req as SessionRequest).session;

/**
 * @example const server = await startRecipe(); // POST /login {username}, POST /logout
 */
export async function startRecipe(port = 0): Promise<RunningServer> {
  const MemoryStore = createMemoryStore(session);
  const store = new MemoryStore({ checkPeriod: 86_400_000 });
  const app = express();
  const httpServer = createServer(app);
  const sessionMiddleware = session({ secret: randomBytes(24).toString('hex'), resave: true, saveUninitialized: true, store });
  app.use(sessionMiddleware);
  app.use(express.json());

  app.post('/login', (req, res) => {
    const username = typeof (req.body as { username?: unknown } | undefined)?.username === 'string' ? String((req.body as { username: string }).username) : 'user';
    req.session.regenerate((err) => {
      if (err) return void res.status(500).end();
      (req.session as RecipeSession).user = { id: username, username };
      req.session.save(() => res.json({ ok: true }));
    });
  });

  app.post('/logout', (req, res) => {
    const sessionId = req.session.id;
    req.session.destroy(() => {
      // disconnect all Socket.IO connections linked to this session ID
      io.to(sessionId).disconnectSockets();
      res.status(204).end();
    });
  });

  const io = new Server(httpServer);
  io.engine.use(sessionMiddleware);
  io.use((socket, next) => (sessionOf(socket.request)?.user ? next() : next(new Error('unauthorized'))));
  io.on('connection', (socket) => {
    const sess = sessionOf(socket.request);
    if (!sess) return void socket.disconnect();
    socket.join(sess.id);
    socket.on(PLAIN_ACK_EVENT, (_payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
    socket.on(RECIPE_TOUCH_EVENT, (_payload: unknown, ack: unknown) => {
      // reload() replaces req.session with a fresh object: read it again afterwards, as the docs do.
      sessionOf(socket.request)?.reload((err: unknown) => {
        const fresh = sessionOf(socket.request);
        if (err || !fresh) return void socket.disconnect();
        fresh.touch();
        fresh.save(() => {
          if (typeof ack === 'function') ack({ ok: true });
        });
      });
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    socketCount: () => io.of('/').sockets.size,
    close: () =>
      new Promise((resolve) => {
        store.stopInterval();
        io.close(() => resolve());
      }),
  };
}
