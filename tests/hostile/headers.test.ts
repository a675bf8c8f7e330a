// Headers and cookies against framing, script injection, leftovers after sign-out and cookie theft over http.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { createHasher } from '../../server/auth/passwords.js';
import { TestBrowser } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { expectUnharmed, PASSWORD, RawSocket, startArena, startCustomServer, uniqueName, type Arena } from './support.js';

let arena: Arena;
beforeAll(async () => {
  arena = await startArena();
});
afterAll(() => arena.close());

/** The directives of a Content-Security-Policy header, by name. */
const directives = (csp: string | null): Map<string, string[]> =>
  new Map((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));

describe('script injection and framing', () => {
  it('every response carries a CSP with scripts, styles and connections from self only, no framing by others, and nosniff', async () => {
    for (const path of ['/api/session', '/healthz', '/api/nope']) {
      const res = await fetch(`${arena.server.url}${path}`);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('script-src')).toEqual(["'self'"]);
      expect(csp.get('style-src')).toEqual(["'self'"]);
      expect(csp.get('connect-src')).toEqual(["'self'"]);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    await expectUnharmed(arena);
  });

  it('the built page satisfies that CSP: no inline script, inline style, event handler, eval or foreign source', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tether-page-'));
    try {
      await build({ root: join(process.cwd(), 'client'), logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
      const server = await startCustomServer({ hasher: createHasher({ memoryCost: 1024, timeCost: 1 }), staticDir: outDir });
      let page: string;
      try {
        const res = await fetch(`${server.url}/`);
        expect(res.status).toBe(200);
        expect(directives(res.headers.get('content-security-policy')).get('script-src')).toEqual(["'self'"]);
        page = await res.text();
      } finally {
        await server.close();
      }
      const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="\//);
        expect(body!.trim()).toBe('');
      }
      expect(page).not.toMatch(/<style\b/i);
      expect(page).not.toMatch(/\sstyle=/i);
      expect(page).not.toMatch(/\son[a-z]+=/i);
      expect(page).not.toMatch(/javascript:/i);
      for (const [, url] of page.matchAll(/\b(?:src|href)="([^"]+)"/g)) expect(url).not.toMatch(/^(https?:)?\/\//);
      // script-src 'self' without 'unsafe-eval': the bundles must not need eval.
      for (const file of readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'))) {
        expect(readFileSync(join(outDir, 'assets', file), 'utf8')).not.toMatch(/\beval\(|new Function\(/);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('leftovers after sign-out', () => {
  it('sign-out, sign-out everywhere and revoking the current session answer Clear-Site-Data: "cookies", "storage"', async () => {
    const signOut = await arena.signedIn('leaver');
    const everywhere = await arena.signedIn('leaver');
    const revoker = await arena.signedIn('leaver');
    const current = (await revoker.sessions()).sessions.find((s) => s.current)!;
    const answers = [await signOut.logout(), await everywhere.logoutEverywhere(), await revoker.revoke(current.id)];
    expect(answers.map((r) => [r.status, r.headers.get('clear-site-data')])).toEqual(Array(3).fill([204, '"cookies", "storage"']));
    await expectUnharmed(arena);
  });
});

describe('cookie theft over plain http', () => {
  let server: DashboardServer;
  beforeAll(async () => {
    // https as users see it, terminated by a proxy on loopback that says so in X-Forwarded-Proto.
    server = await startDashboard({ env: { PUBLIC_URL: 'https://app.example', TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => server.close());
  const overHttps = { 'x-forwarded-proto': 'https' };

  it('the session cookie is __Host-sid: Secure, HttpOnly, SameSite=Lax, Path=/, no Domain, and HSTS is on', async () => {
    const b = new TestBrowser(server.url);
    const first = await b.request<{ csrfToken: string }>('GET', '/api/session', { headers: overHttps });
    b.csrfToken = first.body.csrfToken;
    const res = await b.request<{ csrfToken: string }>('POST', '/api/register', { headers: overHttps, body: { username: uniqueName('secure'), password: PASSWORD } });
    expect(res.status).toBe(201);
    b.csrfToken = res.body.csrfToken;
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-sid='));
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').slice(1).map((a) => a.trim().split('=')[0]!.toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite', 'path', 'expires']));
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(attributes).not.toContain('domain');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(b.cookies.has('sid')).toBe(false);

    // That cookie opens a socket, read under its __Host- name.
    const tab = await b.openTab();
    expect(await tab.touch()).toMatchObject({ ok: true });
    tab.close();
  });

  it('a request that reaches the server as plain http gets no session cookie at all', async () => {
    const res = await new TestBrowser(server.url).request('GET', '/api/session');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe('behind a proxy', () => {
  let server: DashboardServer;
  beforeAll(async () => {
    server = await startDashboard({ env: { TRUST_PROXY: 'loopback', HANDSHAKE_BURST_PER_IP: '3', HANDSHAKES_PER_IP_PER_SECOND: '1' } });
  });
  afterAll(() => server.close());

  /** The CONNECT_ERROR code of a raw handshake from `ip` (as the proxy reports it). */
  const handshakeFrom = async (ip: string): Promise<string> => {
    const raw = await RawSocket.open(server, { headers: { 'x-forwarded-for': ip } });
    raw.send('40{"csrfToken":"x"}');
    const refusal = await raw.next((m) => m.startsWith('44'));
    raw.close();
    return (JSON.parse(refusal.slice(2)) as { data: { code: string } }).data.code;
  };

  it('a handshake flood is limited per client address from X-Forwarded-For, so one client cannot lock out the others', async () => {
    const flood: string[] = [];
    for (let i = 0; i < 4; i++) flood.push(await handshakeFrom('203.0.113.7'));
    expect(flood).toEqual(['unauthenticated', 'unauthenticated', 'unauthenticated', 'rate_limited']);
    expect(await handshakeFrom('203.0.113.8')).toBe('unauthenticated');
  });
});
