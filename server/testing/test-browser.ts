// A simulated browser: a cookie jar, the CSRF token, the API, and tabs over the real socket path.
import { io as connect } from 'socket.io-client';
import type { ApiError, SessionList, SessionState, SignedIn } from '../../shared/api.js';
import type { ServerToClientEvents } from '../../shared/events.js';
import { resolveBrowserOptions, type ResolvedBrowserOptions, type TestBrowserOptions } from './browser-options.js';
import { TestTab, type ServerEvents, type TabSocket } from './test-tab.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export class HandshakeRefused extends Error {
  constructor(readonly code: string) {
    super(`handshake refused: ${code}`);
  }
}

export interface TabOptions {
  /** The Origin header; `null` sends none. Defaults to the server's own origin. */
  origin?: string | null;
  /** Defaults to the browser's current token. */
  csrfToken?: string | undefined;
  /** Cookie header override (e.g. another browser's cookie). */
  cookie?: string;
  timeoutMs?: number;
}


/**
 * @example const alice = new TestBrowser(server.url); await alice.register('alice', 'pw-long-enough');
 *          const tab = await alice.openTab(); await alice.logout(); expect(await tab.ended()).toBe('logout');
 */
export class TestBrowser<S2C extends ServerEvents<S2C> = ServerToClientEvents> {
  readonly cookies: Map<string, string>;
  readonly tabs: TestTab<S2C>[];
  readonly #token: { value: string | undefined };

  readonly options: ResolvedBrowserOptions;

  /**
   * `options`: a user agent, or the app's routes, cookie name and socket path (today's contract
   * values by default). `sameBrowserAs`: share that browser's cookie jar, CSRF token and tabs (see `on`).
   */
  constructor(
    readonly baseUrl: string,
    options?: string | TestBrowserOptions,
    sameBrowserAs?: TestBrowser<S2C>,
  ) {
    this.options = sameBrowserAs?.options ?? resolveBrowserOptions(options);
    this.cookies = sameBrowserAs?.cookies ?? new Map<string, string>();
    this.tabs = sameBrowserAs?.tabs ?? [];
    this.#token = sameBrowserAs ? sameBrowserAs.#token : { value: undefined };
  }

  get csrfToken(): string | undefined {
    return this.#token.value;
  }
  set csrfToken(value: string | undefined) {
    this.#token.value = value;
  }

  /**
   * The same browser talking to another server node (behind one load balancer, say): requests and
   * tabs go to `server`, with its origin, sharing this browser's cookies, CSRF token and tabs.
   * @example const alice = nodeA.browser(); await alice.login('alice', pw);
   *          const tabOnB = await alice.on(nodeB).openTab();
   */
  on(server: string | { url: string }): TestBrowser<S2C> {
    return new TestBrowser<S2C>(typeof server === 'string' ? server : server.url, undefined, this);
  }

  /** The session ID inside this browser's signed session cookie (what the store is keyed by). */
  get sessionId(): string | undefined {
    const raw = this.options.cookieNames.map((name) => this.cookies.get(name)).find((v) => v !== undefined);
    const value = raw === undefined ? '' : decodeURIComponent(raw);
    return value.startsWith('s:') ? value.slice(2, value.lastIndexOf('.')) : undefined;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A raw request through the jar; `body` is sent as JSON unless `raw` is given. */
  async request<T = unknown>(method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent, accept: 'application/json', ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    if (init.csrf !== false && method !== 'GET' && this.csrfToken && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrfToken;
    let payload: string | undefined = init.raw;
    if (init.body !== undefined) {
      payload = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body: payload, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) this.#storeCookie(line);
    const text = await res.text();
    let body: unknown = text;
    if (res.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: body as T };
  }

  #storeCookie(line: string): void {
    const [pair = '', ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expires = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='));
    const expired = expires !== undefined && Date.parse(expires.slice(8)) <= Date.now();
    if (!value || expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  /** GET /api/session, keeping the token. */
  async session(): Promise<SessionState> {
    const res = await this.request<SessionState>('GET', this.options.routes.session);
    if (res.status !== 200) throw new Error(`GET /api/session: ${res.status}`);
    this.csrfToken = res.body.csrfToken;
    return res.body;
  }

  async #ensureToken(): Promise<void> {
    if (!this.csrfToken) await this.session();
  }

  async #signIn(path: string, username: string, password: string): Promise<ApiResponse<SignedIn | ApiError>> {
    await this.#ensureToken();
    const res = await this.request<SignedIn | ApiError>('POST', path, { body: { username, password } });
    if ('csrfToken' in (res.body as object)) this.csrfToken = (res.body as SignedIn).csrfToken;
    return res;
  }

  register(username: string, password: string): Promise<ApiResponse<SignedIn | ApiError>> {
    return this.#signIn(this.options.routes.register, username, password);
  }

  login(username: string, password: string): Promise<ApiResponse<SignedIn | ApiError>> {
    return this.#signIn(this.options.routes.login, username, password);
  }

  /** A state-changing call with the current token. */
  async post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>> {
    await this.#ensureToken();
    return this.request<T>('POST', path, body === undefined ? {} : { body });
  }

  logout(): Promise<ApiResponse> {
    return this.post(this.options.routes.logout);
  }

  logoutEverywhere(): Promise<ApiResponse> {
    return this.post(this.options.routes.logoutEverywhere);
  }

  async sessions(): Promise<SessionList> {
    const res = await this.request<SessionList>('GET', this.options.routes.sessions);
    if (res.status !== 200) throw new Error(`GET /api/sessions: ${res.status}`);
    return res.body;
  }

  revoke(id: string): Promise<ApiResponse> {
    return this.request('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<ApiResponse<{ csrfToken: string } | ApiError>> {
    const res = await this.post<{ csrfToken: string } | ApiError>(this.options.routes.password, { currentPassword, newPassword });
    if (res.status === 200) this.csrfToken = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }

  /**
   * Opens a tab's socket through the real path: cookie, CSRF token, Origin, WebSocket.
   * Rejects with HandshakeRefused carrying the contract's code.
   */
  openTab(options: TabOptions = {}): Promise<TestTab<S2C>> {
    const origin = options.origin === undefined ? new URL(this.baseUrl).origin : options.origin;
    const extraHeaders: Record<string, string> = { 'user-agent': this.options.userAgent };
    const cookie = options.cookie ?? this.cookieHeader;
    if (cookie) extraHeaders.cookie = cookie;
    if (origin !== null) extraHeaders.origin = origin;
    const csrfToken = 'csrfToken' in options ? options.csrfToken : this.csrfToken;
    const socket: TabSocket = connect(this.baseUrl, {
      path: this.options.socketPath,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders,
      auth: csrfToken === undefined ? {} : { csrfToken },
      timeout: options.timeoutMs ?? 2000,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error');
        const tab = new TestTab<S2C>(socket);
        this.tabs.push(tab);
        resolve(tab);
      });
      socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
        socket.off('connect');
        socket.disconnect();
        reject(new HandshakeRefused(err.data?.code ?? err.message));
      });
    });
  }

  /** The refusal code of a handshake expected to fail (throws if it connects). */
  async refusedTab(options: TabOptions = {}): Promise<string> {
    try {
      const tab = await this.openTab(options);
      tab.close();
    } catch (error) {
      if (error instanceof HandshakeRefused) return error.code;
      throw error;
    }
    throw new Error('handshake was accepted');
  }

  closeTabs(): void {
    for (const tab of this.tabs.splice(0)) tab.close();
  }
}
