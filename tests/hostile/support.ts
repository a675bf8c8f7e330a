// Shared helpers of the hostile-client suite: a server per file, a bystander, raw sockets, loose emits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'socket.io-client';
import { createTether } from '../../server/app.js';
import { parseConfig, type Env } from '../../server/config.js';
import type { PasswordHasher } from '../../server/auth/passwords.js';
import type { Logger } from '../../server/log.js';
import { createManualClock, type ManualClock, type TestBrowser, type TestTab } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

export const PASSWORD = 'correct horse battery';

export interface Arena {
  server: DashboardServer;
  clock: ManualClock;
  /** A second user, signed in with an open tab, who must never notice the attack. */
  bystander: { browser: TestBrowser; tab: TestTab };
  /** A signed-in browser of a fresh user (name unique within the arena). */
  signedIn(prefix?: string): Promise<TestBrowser>;
  close(): Promise<void>;
}

let users = 0;
/** A username unique within this process (each test file is its own process and server). */
export const uniqueName = (prefix = 'user'): string => `${prefix}${++users}`.slice(0, 32);

/**
 * A real server on port 0 with a manual clock (socket rate limits only refill when a test moves
 * time) and a bystander. Long timeouts: no session expires unless a test says so.
 * @example const arena = await startArena(); afterAll(() => arena.close());
 */
export async function startArena(env: Env = {}): Promise<Arena> {
  const clock = createManualClock();
  const server = await startDashboard({ clock, env: { SESSION_IDLE_TIMEOUT_MS: '3600000', ...env } });
  const signedIn = async (prefix = 'user'): Promise<TestBrowser> => {
    const browser = server.browser();
    const res = await browser.register(uniqueName(prefix), PASSWORD);
    expect(res.status).toBe(201);
    return browser;
  };
  const bystanderBrowser = await signedIn('bystander');
  const bystander = { browser: bystanderBrowser, tab: await bystanderBrowser.openTab() };
  return {
    server,
    clock,
    bystander,
    signedIn,
    async close() {
      await server.close();
    },
  };
}

/**
 * The attack left the server up and the other user untouched: `/healthz` answers 200 and the
 * bystander's socket, opened before the attack, still acks `session:touch`.
 */
export async function expectUnharmed(arena: Arena): Promise<void> {
  const health = await fetch(`${arena.server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  // A few seconds pass (manual clock): the bystander's own event budget refills.
  arena.clock.advance(5_000);
  expect(arena.bystander.tab.connected).toBe(true);
  expect(arena.bystander.tab.endings).toEqual([]);
  const ack = await arena.bystander.tab.touch();
  expect(ack).toEqual({ ok: true, idleExpiresAt: expect.any(Number), absoluteExpiresAt: expect.any(Number) });
}

/** `{"error":{"code"}}` of an API answer. */
export const errorCode = (body: unknown): string | undefined => (body as { error?: { code?: string } } | null)?.error?.code;

/** A socket seen without the typed event map: attackers send whatever they like. */
export type LooseSocket = Socket;
export const loose = (tab: TestTab): LooseSocket => tab.socket as unknown as LooseSocket;

/** Emits anything with an ack and resolves with the ack's argument (rejects after `timeoutMs`). */
export function emitWithAck(tab: TestTab, event: string, args: unknown[], timeoutMs = 2000): Promise<unknown> {
  return loose(tab).timeout(timeoutMs).emitWithAck(event, ...args);
}

/** An error ack of the contract: `{ok:false, error:{code, message}}`. */
export const errorAck = (code: string): unknown => ({ ok: false, error: { code, message: expect.any(String) } });

/**
 * An engine.io connection over a raw WebSocket, for packets no Socket.IO client would send.
 * Messages are queued as they arrive; `next` takes the first one matching.
 */
export class RawSocket {
  readonly received: string[] = [];
  readonly closed: Promise<{ code: number }>;
  readonly #waiters = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? `<binary ${(data as Buffer).length}>` : data.toString();
      // Answer the server's heartbeat so that only our own packets decide the outcome.
      if (text === '2') ws.send('3');
      this.received.push(text);
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code })));
    ws.on('error', () => {});
  }

  /** Opens a raw engine.io WebSocket with the browser's cookie and the given Origin. */
  static async open(server: { port: number; origin: string }, { cookie, origin = server.origin, headers: extra = {} }: { cookie?: string; origin?: string | null; headers?: Record<string, string> } = {}): Promise<RawSocket> {
    const headers: Record<string, string> = { ...extra };
    if (cookie) headers.cookie = cookie;
    if (origin !== null) headers.origin = origin;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`, { headers });
    const raw = new RawSocket(ws);
    await raw.next((m) => m.startsWith('0{'));
    return raw;
  }

  /** Engine.io open, then a namespace CONNECT with the token: a connected raw socket. */
  static async connected(server: DashboardServer, browser: TestBrowser): Promise<RawSocket> {
    const raw = await RawSocket.open(server, { cookie: browser.cookieHeader });
    raw.send(`40${JSON.stringify({ csrfToken: browser.csrfToken })}`);
    await raw.next((m) => m.startsWith('40{"sid"'));
    return raw;
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The first message (already received or arriving within `timeoutMs`) that matches. */
  next(match: (message: string) => boolean, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.find(match);
        if (found === undefined) return false;
        this.received.splice(this.received.indexOf(found), 1);
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(-5))}`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** Resolves with the close code, or rejects if the server keeps the connection open. */
  async closedWithin(timeoutMs = 2000): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return (await Promise.race([this.closed, timeout])).code;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

export interface CustomServer {
  url: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A server with an injected hasher or logger, which the test kit does not take: built as
 * `startTestServer` builds its own (temp data dir, origins of the real port).
 */
export async function startCustomServer({ env = {}, hasher, log, staticDir }: { env?: Env; hasher: PasswordHasher; log?: Logger; staticDir?: string }): Promise<CustomServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-hostile-'));
  const config = parseConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', REGISTRATIONS_PER_IP: '10000', ...env });
  const origins = new Set<string>();
  config.allowedOrigins = origins;
  const tether = await createTether({ config, hasher, ...(log ? { log } : {}), staticDir: staticDir ?? join(dataDir, 'no-client') });
  const { port } = await tether.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  origins.add(url);
  return {
    url,
    origin: url,
    port,
    async close() {
      await tether.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
