// The load generator's side: one client code for every server. Sign-in differs per server (each has
// its own routes); sockets are opened exactly as the test kit's TestBrowser opens a tab: cookie,
// `auth: {csrfToken}`, Origin, WebSocket transport only.
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { TargetKind } from './protocol.js';
import { PLAIN_ACK_EVENT } from './baselines/plain.js';

/** What a signed-in browser holds. */
export interface Credentials {
  cookie: string;
  csrfToken: string | undefined;
}

interface HttpResult {
  status: number;
  setCookies: string[];
  body: string;
}

// Keep-alive, so that sign-ins and logouts do not pay a TCP connect each.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Closes the pooled keep-alive connections (they would count as open TCP connections on the server). */
export function dropIdleHttp(): void {
  agent.destroy();
}

/** A bounded HTTP request to 127.0.0.1. */
export function httpRequest(url: string, init: { method: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number }): Promise<HttpResult> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'tether-bench/1.0', ...init.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers, agent, timeout: init.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookies: res.headers['set-cookie'] ?? [], body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${init.method} ${url}: no answer within ${init.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function keepCookies(jar: Map<string, string>, lines: string[]): void {
  for (const line of lines) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

function expectStatus(what: string, res: HttpResult, ...ok: number[]): void {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
}

/** How the bench signs in to and out of one kind of server. */
export interface TargetClient {
  kind: TargetKind;
  url: string;
  /** One-time setup before the first sign-in. */
  prepare(): Promise<void>;
  /** A new signed-in session (plain Socket.IO has none: empty credentials). */
  signIn(): Promise<Credentials>;
  /** The session's logout request; resolves with its HTTP status. */
  logout(credentials: Credentials): Promise<number>;
}

const PASSWORD = 'bench-password-1';

/**
 * Every sign-in registers a user of its own: one person per session, as in real use. Sharing a few
 * users across thousands of sessions would make every tab's open and close reach hundreds of
 * other tabs of "the same user", which no real user has.
 */
function tetherClient(url: string): TargetClient {
  const run = randomBytes(4).toString('hex');
  let next = 0;
  return {
    kind: 'tether',
    url,
    async prepare() {},
    async signIn() {
      const jar = new Map<string, string>();
      const session = await httpRequest(`${url}/api/session`, { method: 'GET' });
      expectStatus('GET /api/session', session, 200);
      keepCookies(jar, session.setCookies);
      const { csrfToken } = JSON.parse(session.body) as { csrfToken: string };
      const username = `b${run}-${next++}`;
      const res = await httpRequest(`${url}/api/register`, { method: 'POST', headers: { cookie: cookieHeader(jar), 'x-csrf-token': csrfToken }, body: { username, password: PASSWORD } });
      expectStatus('POST /api/register', res, 201);
      keepCookies(jar, res.setCookies);
      return { cookie: cookieHeader(jar), csrfToken: (JSON.parse(res.body) as { csrfToken: string }).csrfToken };
    },
    async logout(c) {
      const res = await httpRequest(`${url}/api/logout`, { method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken ?? '' } });
      return res.status;
    },
  };
}

function recipeClient(url: string): TargetClient {
  let turn = 0;
  return {
    kind: 'recipe',
    url,
    async prepare() {},
    async signIn() {
      const jar = new Map<string, string>();
      const res = await httpRequest(`${url}/login`, { method: 'POST', body: { username: `user-${turn++}` } });
      expectStatus('POST /login', res, 200);
      keepCookies(jar, res.setCookies);
      return { cookie: cookieHeader(jar), csrfToken: undefined };
    },
    async logout(c) {
      return (await httpRequest(`${url}/logout`, { method: 'POST', headers: { cookie: c.cookie } })).status;
    },
  };
}

function plainClient(url: string): TargetClient {
  return {
    kind: 'plain',
    url,
    async prepare() {},
    async signIn() {
      return { cookie: '', csrfToken: undefined };
    },
    async logout() {
      throw new Error('plain Socket.IO has no session to log out of');
    },
  };
}

/**
 * @example const client = targetClient('tether', server.url); await client.prepare(); const c = await client.signIn();
 */
export function targetClient(kind: TargetKind, url: string): TargetClient {
  switch (kind) {
    case 'tether':
      return tetherClient(url);
    case 'recipe':
      return recipeClient(url);
    case 'plain':
      return plainClient(url);
  }
}

/** The event each server acks as a plain round trip, and its session touch where it has one. */
export const ACK_EVENT = PLAIN_ACK_EVENT;
export const TOUCH_EVENT = 'session:touch';

/** A tab's socket over the real path; rejects with the refusal code or on timeout. */
export function openTab(url: string, credentials: Credentials, timeoutMs = 10_000): Promise<Socket> {
  const extraHeaders: Record<string, string> = { 'user-agent': 'tether-bench/1.0', origin: new URL(url).origin };
  if (credentials.cookie) extraHeaders.cookie = credentials.cookie;
  const socket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders,
    auth: credentials.csrfToken === undefined ? {} : { csrfToken: credentials.csrfToken },
    timeout: timeoutMs,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (err: Error & { data?: { code?: string } }) => {
      socket.off('connect');
      socket.disconnect();
      reject(new Error(`handshake refused: ${err.data?.code ?? err.message}`));
    });
  });
}

/** Resolves with performance.now() at the socket's disconnect, or rejects after `timeoutMs`. */
export function disconnectedAt(socket: Socket, timeoutMs: number): Promise<number> {
  if (!socket.connected) return Promise.resolve(performance.now());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('disconnect', onDisconnect);
      reject(new Error(`no disconnect within ${timeoutMs} ms`));
    }, timeoutMs);
    const onDisconnect = (): void => {
      clearTimeout(timer);
      resolve(performance.now());
    };
    socket.once('disconnect', onDisconnect);
  });
}

/** An emit with an ack, bounded in time; resolves with the ack's first argument. */
export function emitWithAck(socket: Socket, event: string, timeoutMs = 5_000): Promise<unknown> {
  return socket.timeout(timeoutMs).emitWithAck(event, {});
}

/** Runs `fn` over `count` indexes with at most `limit` at once; results in index order. */
export async function times<R>(count: number, limit: number, fn: (i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      results[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/** Opens `count` tabs of one session, at most `limit` handshakes at once. */
export function openTabs(url: string, credentials: Credentials, count: number, limit = 16): Promise<Socket[]> {
  return times(count, limit, () => openTab(url, credentials));
}

export interface SignedInSession {
  credentials: Credentials;
  tabs: Socket[];
}

/** Signs in `sessions` sessions and opens `tabsPerSession` tabs on each, with bounded concurrency. */
export function signInWithTabs(client: TargetClient, sessions: number, tabsPerSession: number, limit = 16): Promise<SignedInSession[]> {
  return times(sessions, limit, async () => {
    const credentials = await client.signIn();
    return { credentials, tabs: await openTabs(client.url, credentials, tabsPerSession, 4) };
  });
}

/** Closes sockets (client side; the server sees each close shortly after). */
export function closeSockets(sockets: Iterable<Socket>): void {
  for (const s of sockets) s.disconnect();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
