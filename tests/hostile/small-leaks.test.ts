// Smaller leaks: a bad SESSION_SECRET echoed at start, world-readable SQLite files, the page answering unknown paths.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { errorCode, PASSWORD, uniqueName } from './support.js';

/** Runs the server's start (`tsx server/main.ts`, what `npm start` runs after building the client) until it exits. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('a start with a bad secret in the environment', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tether-leaks-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a too-short SESSION_SECRET stops the start with one line naming the variable, and no trace of any of its secrets', { timeout: 60_000 }, async () => {
    const secrets = ['tiny-s3cr3t', 'a-long-enough-second-secret-value'];
    const { code, output } = await start({ DATA_DIR: dataDir, SESSION_SECRET: secrets.join(',') });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/SESSION_SECRET.*expected/);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      // Not even a recognisable part of it (a secret cut short, or its middle).
      expect(output).not.toContain(secret.slice(2, 9));
    }
  });

  it('a bad DATABASE_URL is named with its password masked', { timeout: 60_000 }, async () => {
    const { code, output } = await start({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://app:hunter2-db-pass@db.internal/app' });
    expect(code).toBe(2);
    expect(output).toMatch(/DATABASE_URL.*expected a postgres:\/\/ URL/);
    expect(output).not.toContain('hunter2-db-pass');
  });
});

describe('the SQLite files', () => {
  let server: DashboardServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-modes-'));
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const modes = (): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dataDir)
        .filter((name) => name.startsWith('tether.sqlite'))
        .map((name) => [name, (statSync(join(dataDir, name)).mode & 0o777).toString(8)]),
    );

  it('the database, its -wal and -shm are mode 0600 (they hold the password hashes)', async () => {
    server = await startDashboard({ dataDir });
    expect((await server.browser().register(uniqueName('hashed'), PASSWORD)).status).toBe(201);
    expect(modes()).toEqual({ 'tether.sqlite': '600', 'tether.sqlite-wal': '600', 'tether.sqlite-shm': '600' });
  });

  it('files left world-readable by an older start are narrowed to 0600 at the next start', async () => {
    await server?.close();
    server = undefined;
    for (const name of readdirSync(dataDir)) if (name.startsWith('tether.sqlite')) chmodSync(join(dataDir, name), 0o644);
    server = await startDashboard({ dataDir });
    expect((await server.browser().register(uniqueName('again'), PASSWORD)).status).toBe(201);
    expect(Object.values(modes()).every((mode) => mode === '600')).toBe(true);
    expect(Object.keys(modes())).toContain('tether.sqlite');
  });
});

describe('unknown paths with a built page', () => {
  let server: DashboardServer;
  const staticDir = mkdtempSync(join(tmpdir(), 'tether-page-'));
  const PAGE = '<!doctype html><title>tether</title>';
  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), PAGE);
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
    server = await startDashboard({ staticDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const get = (path: string, accept = '*/*', method = 'GET') => fetch(`${server.url}${path}`, { method, headers: { accept } });

  it.each(['/foo.txt', '/x/y.js', '/assets/missing.js', '/favicon.ico', '/.env', '/wp-login.php', '/metricsx', '/a/b/c'])('GET %s (a probe, Accept */*) is 404 not_found JSON, not the page', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(errorCode(await res.json())).toBe('not_found');
  });

  it.each(['/foo.txt', '/x/y.js'])('GET %s is 404 even from a browser (it has an extension: an asset, never a page)', async (path) => {
    const res = await get(path, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(404);
    expect(errorCode(await res.json())).toBe('not_found');
  });

  it.each(['/metrics', '/readyz'])('GET %s is never the page, whoever asks (a probe pointed there must not always pass)', async (path) => {
    for (const accept of ['*/*', 'text/plain', 'text/html']) {
      const res = await get(path, accept);
      expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
      expect(await res.text()).not.toContain(PAGE);
    }
  });

  it('POST to an unknown path is 404 JSON', async () => {
    const res = await fetch(`${server.url}/nowhere`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(errorCode(await res.json())).toBe('not_found');
  });

  it('page paths still get the page: / for anyone, extension-less paths a browser navigates to', async () => {
    for (const [path, accept] of [['/', '*/*'], ['/', 'text/html'], ['/settings', 'text/html,application/xhtml+xml'], ['/sessions/abc', 'text/html']] as const) {
      const res = await get(path, accept);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(PAGE);
    }
    expect((await get('/', 'text/html', 'HEAD')).status).toBe(200);
    const asset = await get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('export {};');
  });

  it('the API and the socket path are never the page', async () => {
    const api = await get('/api/nope', 'text/html');
    expect(api.status).toBe(404);
    expect(errorCode(await api.json())).toBe('not_found');
    expect(await (await get('/socket.io', 'text/html')).text()).not.toContain(PAGE);
  });
});
