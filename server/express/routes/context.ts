// The ready-made routes' options, and the one resolved context their three routers share.
import type { Request, RequestHandler } from 'express';
import type { AppData, Logger, SessionLifecycle, SessionRecord } from '../../sessions/index.js';
import { silentLogger } from '../../sessions/index.js';
import { createLimitStores } from '../../scale/limit-stores.js';
import type { TetherExpress } from '../binding.js';
import { createLoginLimit, type LoginLimit } from './login-limit.js';
import type { AccountsPort, PasswordHasher, RouteHooks } from './ports.js';

/** Fields an app adds to `GET /api/session` (e.g. preferences from its session data). */
export type SessionStateExtras = Readonly<Record<string, unknown>>;

export interface TetherRoutesOptions<App extends object = AppData> {
  /** The Express binding; its lifecycle owns every transition the routes make. */
  sessions: TetherExpress<App>;
  accounts: AccountsPort;
  hasher: PasswordHasher;
  /** Open sockets per session ID of a user, on every node (`tetherSocketIO(...).countSockets`). */
  countSockets(userId: string): Promise<ReadonlyMap<string, number>>;
  limits?: {
    /**
     * The sign-in limit, shared by `/login` and `/reauthenticate`. Default: the contract's, counted
     * on this node (5 failures per username + IP, 100 per IP, in 15 minutes); give `createLoginLimit`
     * Redis stores (`tether-session/redis`) so that several nodes count together.
     */
    login?: LoginLimit;
    /** Runs before `/register` (e.g. an express-rate-limit per IP). Default: none. */
    register?: RequestHandler;
  };
  hooks?: RouteHooks;
  /** Extra fields of `GET /api/session`, from the session's record (null when signed out). */
  sessionState?: (record: SessionRecord<App> | null, req: Request) => SessionStateExtras;
  log?: Logger;
}

export interface RoutesContext<App extends object> {
  sessions: TetherExpress<App>;
  lifecycle: SessionLifecycle<App>;
  accounts: AccountsPort;
  hasher: PasswordHasher;
  countSockets(userId: string): Promise<ReadonlyMap<string, number>>;
  loginLimit: LoginLimit;
  register: RequestHandler[];
  hooks: RouteHooks;
  sessionState: (record: SessionRecord<App> | null, req: Request) => SessionStateExtras;
  log: Logger;
}

/** Defaults filled in; misconfiguration throws here, at creation. */
export function resolveRoutesOptions<App extends object>(options: TetherRoutesOptions<App>): RoutesContext<App> {
  for (const key of ['sessions', 'accounts', 'hasher', 'countSockets'] as const) {
    if (!options[key]) throw new TypeError(`tetherRoutes: \`${key}\` is required`);
  }
  return {
    sessions: options.sessions,
    lifecycle: options.sessions.lifecycle,
    accounts: options.accounts,
    hasher: options.hasher,
    countSockets: options.countSockets,
    loginLimit: options.limits?.login ?? createLoginLimit({ stores: createLimitStores(), failuresPerUser: 5, failuresPerIp: 100, windowMs: 15 * 60_000 }),
    register: options.limits?.register ? [options.limits.register] : [],
    hooks: options.hooks ?? {},
    sessionState: options.sessionState ?? (() => ({})),
    log: options.log ?? silentLogger,
  };
}
