// A simulated browser: a cookie jar, the CSRF token, the API, and tabs over the real socket path.
import { io as connect, type Socket } from 'socket.io-client';
import { safeParse } from 'zod/mini';
import type { ApiError, SessionList, SessionState, SignedIn } from '../../shared/api.js';
import type { Ack, ClientToServerEvents, Deadlines, ServerToClientEvents, TouchAck } from '../../shared/events.js';
import type { JoinAck, LiveEventInput, LiveEventName, LivePatch, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import type { EndReason } from '../../shared/reasons.js';
import { resolveBrowserOptions, type ResolvedBrowserOptions, type TestBrowserOptions } from './browser-options.js';
import { nextEvent } from './wait.js';

export type TabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

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
 * One open tab: the typed socket plus helpers to await what the server sends. The end of the
 * session is recorded as it arrives, so `ended()` also answers for an event that came earlier.
 */
export class TestTab {
  /** Every `session:ended` reason this tab received (the contract says: exactly one). */
  readonly endings: EndReason[] = [];
  #renewals = 0;
  #disconnectReason: string | undefined;

  constructor(readonly socket: TabSocket) {
    socket.on('session:ended', ({ reason }) => this.endings.push(reason));
    socket.on('session:renewed', () => (this.#renewals += 1));
    socket.on('disconnect', (reason) => (this.#disconnectReason = reason));
  }
  get connected(): boolean {
    return this.socket.connected;
  }
  /** The reason of `session:ended`, received already or within `timeoutMs`. */
  async ended(timeoutMs = 2000): Promise<EndReason> {
    const seen = this.endings[0];
    if (seen) return seen;
    return (await nextEvent<{ reason: EndReason }>(this.socket, 'session:ended', timeoutMs)).reason;
  }
  /** Resolves once `session:renewed` was received. */
  async renewed(timeoutMs = 2000): Promise<void> {
    if (this.#renewals === 0) await nextEvent(this.socket, 'session:renewed', timeoutMs);
  }
  /** Resolves with the disconnect reason (e.g. `io server disconnect`). */
  disconnected(timeoutMs = 2000): Promise<string> {
    if (this.#disconnectReason !== undefined) return Promise.resolve(this.#disconnectReason);
    return nextEvent<string>(this.socket, 'disconnect', timeoutMs);
  }
  /** Joins a live view (its shared schemas object); resolves with its whole state, checked by its schema. */
  async join<D extends LiveSchemas>(view: D, timeoutMs = 2000): Promise<LiveStateOf<D>> {
    const ack: JoinAck = await this.socket.timeout(timeoutMs).emitWithAck('live:join', { view: view.name });
    if (!ack.ok) throw new Error(`join ${view.name}: ${ack.error.code}`);
    const state = safeParse(view.state, ack.state);
    if (!state.success) throw new Error(`join ${view.name}: the state does not fit its schema: ${state.error.issues[0]?.message ?? ''}`);
    // `view.state` is D's own schema; TypeScript only sees its bound ($ZodType<object>) here.
    return state.data as LiveStateOf<D>;
  }
  /** Sends a typed event to a joined live view; resolves with the ack. */
  liveEvent<D extends LiveSchemas, E extends LiveEventName<D>>(view: D, event: E, payload: LiveEventInput<D, E>, timeoutMs = 2000): Promise<Ack> {
    return this.socket.timeout(timeoutMs).emitWithAck('live:event', { view: view.name, event, payload });
  }
  /** The next patch of a view (only the changed keys). */
  patch<D extends LiveSchemas>(view: D, timeoutMs = 2000): Promise<Partial<LiveStateOf<D>>> {
    return new Promise((resolve, reject) => {
      const listener = (p: LivePatch): void => {
        if (p.view !== view.name) return;
        clearTimeout(timer);
        this.socket.off('live:patch', listener);
        // The changed keys as sent: a test asserts on them (a wrong key must show, not be dropped).
        resolve(p.changes as Partial<LiveStateOf<D>>);
      };
      const timer = setTimeout(() => {
        this.socket.off('live:patch', listener);
        reject(new Error(`no ${view.name} patch within ${timeoutMs} ms`));
      }, timeoutMs);
      this.socket.on('live:patch', listener);
    });
  }
  touch(timeoutMs = 2000): Promise<TouchAck> {
    return this.socket.timeout(timeoutMs).emitWithAck('session:touch', {});
  }
  deadlines(timeoutMs = 2000): Promise<Deadlines> {
    return nextEvent<Deadlines>(this.socket, 'session:deadlines', timeoutMs);
  }
  close(): void {
    this.socket.disconnect();
  }
}

/**
 * @example const alice = new TestBrowser(server.url); await alice.register('alice', 'pw-long-enough');
 *          const tab = await alice.openTab(); await alice.logout(); expect(await tab.ended()).toBe('logout');
 */
export class TestBrowser {
  readonly cookies: Map<string, string>;
  readonly tabs: TestTab[];
  readonly #token: { value: string | undefined };

  readonly options: ResolvedBrowserOptions;

  /**
   * `options`: a user agent, or the app's routes, cookie name and socket path (today's contract
   * values by default). `sameBrowserAs`: share that browser's cookie jar, CSRF token and tabs (see `on`).
   */
  constructor(
    readonly baseUrl: string,
    options?: string | TestBrowserOptions,
    sameBrowserAs?: TestBrowser,
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
  on(server: string | { url: string }): TestBrowser {
    return new TestBrowser(typeof server === 'string' ? server : server.url, undefined, this);
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
  openTab(options: TabOptions = {}): Promise<TestTab> {
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
        const tab = new TestTab(socket);
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
