// A chat app of its own shape (POST /signin {name}, a 'chat' event) on tether-session: sign-out ends every tab.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import { Server } from 'socket.io';
import { z } from 'zod';
import { createMemorySessionStore, createSessionLifecycle } from 'tether-session/sessions';
import { SessionHttpError, tetherExpress } from 'tether-session/express';
import { tetherSocketIO } from 'tether-session/socketio';

const SECRET = process.env.SESSION_SECRET ?? 'a development secret, at least 16 characters';

/** The app: Express routes and Socket.IO events of its own, on one HTTP server (not listening yet). */
export function createApp() {
  const lifecycle = createSessionLifecycle({ store: createMemorySessionStore(), idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 });
  const sessions = tetherExpress(lifecycle, { secrets: [SECRET] });
  const app = express();
  app.use(express.json(), sessions.middleware);

  // The page asks once for the token it sends back in X-CSRF-Token (and in the socket's auth).
  app.get('/hello', (req, res) => {
    res.json({ name: sessions.current(req)?.record.username ?? null, csrfToken: sessions.csrfToken(req, res) });
  });
  app.post('/signin', async (req, res) => {
    const name = z.string().trim().min(1).max(40).safeParse(req.body?.name);
    if (!name.success) return void res.status(400).json({ error: { code: 'bad_name', message: 'name: 1-40 characters' } });
    await sessions.signIn(req, res, { userId: name.data.toLowerCase(), username: name.data });
    res.json({ csrfToken: sessions.csrfToken(req, res) });
  });
  app.post('/signout', async (req, res) => {
    await sessions.signOut(req, res);
    res.sendStatus(204);
  });
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    const known = err instanceof SessionHttpError;
    res.status(known ? err.status : 500).json({ error: { code: known ? err.code : 'internal', message: known ? err.message : 'internal error' } });
  };
  app.use(errors);

  const httpServer = createServer(app);
  const io = new Server(httpServer);
  // Same-origin sockets of a live signed-in session only; each ends with `session:ended`.
  const sockets = tetherSocketIO(io, lifecycle, { secrets: [SECRET] });
  sockets.on('chat', z.object({ text: z.string().min(1).max(500) }), async ({ text }, socket) => {
    io.emit('chat', { from: socket.data.userId, text });
    return { ok: true };
  });

  const close = async (): Promise<void> => {
    sockets.close();
    await io.close(); // closes httpServer too
    lifecycle.close();
  };
  return { httpServer, close };
}

// `node dist/app.js`: listen on PORT (default 3000).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  createApp().httpServer.listen(Number(process.env.PORT ?? 3000), () => process.stdout.write('listening\n'));
}
