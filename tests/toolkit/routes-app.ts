// An app of another shape on the ready-made routes: accounts in a Map, scrypt passwords, a list of what happened.
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import express from 'express';
import { Server } from 'socket.io';
import {
  apiErrors,
  apiNotFound,
  requireJsonBody,
  tetherExpress,
  tetherRoutes,
  UsernameTakenError,
  type Account,
  type AccountsPort,
  type PasswordHasher,
  type RouteHooks,
} from '../../server/express/index.js';
import { createSessionLifecycle } from '../../server/sessions/index.js';
import { tetherSocketIO } from '../../server/socketio/index.js';
import type { TestableApp } from '../../server/testing/index.js';

const SECRET = 'another app, another secret';
const derive = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** scrypt, `salt:key` in hex; an unknown user is checked against a dummy of the same cost. */
function scryptHasher(): PasswordHasher {
  const hash = async (password: string): Promise<string> => {
    const salt = randomBytes(16);
    return `${salt.toString('hex')}:${(await derive(password, salt, 32)).toString('hex')}`;
  };
  const dummy = hash('not anybody’s password');
  return {
    hash,
    async verify(stored, password) {
      const [salt = '', key = ''] = (stored ?? (await dummy)).split(':');
      const given = await derive(password, Buffer.from(salt, 'hex'), 32);
      return timingSafeEqual(given, Buffer.from(key, 'hex')) && stored !== undefined;
    },
  };
}

/** Accounts in a Map keyed by the lower-cased name. */
function mapAccounts(): AccountsPort & { byName: Map<string, Account> } {
  const byName = new Map<string, Account>();
  const byId = (id: string): Account | undefined => [...byName.values()].find((account) => account.id === id);
  return {
    byName,
    findByUsername: async (username) => byName.get(username.toLowerCase()) ?? null,
    findById: async (id) => byId(id) ?? null,
    async create(username, passwordHash) {
      if (byName.has(username.toLowerCase())) throw new UsernameTakenError();
      const account = { id: randomUUID(), username, passwordHash };
      byName.set(username.toLowerCase(), account);
      return { id: account.id, username };
    },
    async setPasswordHash(id, passwordHash) {
      const account = byId(id);
      if (account) account.passwordHash = passwordHash;
    },
  };
}

export interface RoutesApp extends TestableApp {
  accounts: ReturnType<typeof mapAccounts>;
  /** What the hooks saw, in order: `kind userId`. */
  happened: string[];
}

/** Sessions with an app field of its own (`plan`), shown in GET /api/session by `sessionState`. */
export function createRoutesApp(): RoutesApp {
  const lifecycle = createSessionLifecycle<{ plan: string }>({ idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 });
  const sessions = tetherExpress(lifecycle, { secrets: [SECRET] });
  const accounts = mapAccounts();
  const happened: string[] = [];
  const note =
    (kind: string) =>
    ({ userId }: { userId: string }): void => {
      happened.push(`${kind} ${userId}`);
    };
  const hooks: RouteHooks = { onRegistered: note('registered'), onSignedIn: note('signed_in'), onSignedOutEverywhere: note('everywhere'), onPasswordChanged: note('password') };

  const app = express();
  const httpServer = createServer(app);
  const io = new Server(httpServer);
  const sockets = tetherSocketIO(io, lifecycle, { secrets: [SECRET] });
  app.use(
    '/api',
    requireJsonBody,
    express.json({ limit: '16kb' }),
    sessions.middleware,
    tetherRoutes({ sessions, accounts, hasher: scryptHasher(), countSockets: sockets.countSockets, hooks, sessionState: (record) => ({ plan: record?.app.plan ?? 'free' }) }),
    apiNotFound,
    apiErrors(),
  );
  return {
    httpServer,
    accounts,
    happened,
    async close() {
      sockets.close();
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      lifecycle.close();
    },
  };
}
