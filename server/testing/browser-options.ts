// What a simulated browser needs to know of the app it talks to: its routes, cookie and socket path.

/** The app's routes the kit's helpers call; today's contract routes by default. */
export interface TestRoutes {
  /** GET: answers `{ csrfToken }` (and more); the kit keeps the token. */
  session: string;
  register: string;
  login: string;
  logout: string;
  logoutEverywhere: string;
  sessions: string;
  password: string;
}

export interface TestBrowserOptions {
  userAgent?: string;
  routes?: Partial<TestRoutes>;
  /** The session cookie's name (default `sid`, or `__Host-sid`). */
  cookieName?: string;
  socketPath?: string;
}

export const DEFAULT_ROUTES: TestRoutes = {
  session: '/api/session',
  register: '/api/register',
  login: '/api/login',
  logout: '/api/logout',
  logoutEverywhere: '/api/logout-everywhere',
  sessions: '/api/sessions',
  password: '/api/password',
};

export interface ResolvedBrowserOptions {
  userAgent: string;
  routes: TestRoutes;
  cookieNames: readonly string[];
  socketPath: string;
}

export function resolveBrowserOptions(options: string | TestBrowserOptions | undefined): ResolvedBrowserOptions {
  const o = typeof options === 'string' ? { userAgent: options } : (options ?? {});
  return {
    userAgent: o.userAgent ?? 'tether-test-browser/1.0',
    routes: { ...DEFAULT_ROUTES, ...o.routes },
    cookieNames: o.cookieName ? [o.cookieName] : ['sid', '__Host-sid'],
    socketPath: o.socketPath ?? '/socket.io',
  };
}
