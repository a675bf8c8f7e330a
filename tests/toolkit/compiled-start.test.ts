// `npm start` on a clone: builds what is stale, then serves from the compiled JavaScript with node,
// with nothing loaded at start that serving does not need.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
/** Packages a memory-store, SQLite start has no use for: builders, TypeScript runners, PostgreSQL, Redis, and argon2 (first sign-in). */
const NOT_AT_START = ['vite', 'typescript', 'tsx', 'esbuild', 'rollup', 'pg', 'redis', '@redis/client', 'connect-redis', '@socket.io/redis-adapter', '@node-rs/argon2'];

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Runs `npm start` in its own process group and resolves once it logs its URL. */
function npmStart(env: Record<string, string>): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolveStart, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /"url":"(http:[^"]+)"/.exec(stdout);
      if (match) resolveStart({ child, url: match[1]!, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it listened: ${stderr.trim().split('\n').slice(-3).join(' | ')}`)));
  });
}

describe('npm start on a clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tether-start-'));
  const importsFile = join(dir, 'imports.txt');
  let started: Started;

  beforeAll(async () => {
    writeFileSync(importsFile, '');
    started = await npmStart({
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      NODE_OPTIONS: `--import=${join(root, 'tests/support/record-imports.mjs')}`,
      RECORD_IMPORTS_FILE: importsFile,
    });
  }, 240_000);

  afterAll(async () => {
    if (started?.child.exitCode === null) {
      const exited = new Promise((done) => started.child.once('exit', done));
      process.kill(-started.child.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GET /healthz with 200 {"ok":true}', async () => {
    const res = await fetch(`${started.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves the bundle of dist/node with node, loading no builder, tsx, PostgreSQL or Redis module', () => {
    const lines = readFileSync(importsFile, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string]);
    const serverPid = lines.find(([, url]) => url.endsWith('/dist/node/bundle/main.js'))?.[0];
    expect(serverPid, 'no process loaded dist/node/bundle/main.js').toBeDefined();
    const loaded = lines.filter(([pid]) => pid === serverPid).map(([, url]) => url);
    expect(loaded.filter((url) => url.startsWith('file:') && url.endsWith('.ts'))).toEqual([]);
    const packages = new Set(loaded.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((name) => name !== undefined));
    expect(NOT_AT_START.filter((name) => packages.has(name))).toEqual([]);
    // Express and Socket.IO are inside the bundle; the Redis pieces are a chunk only a Redis store loads.
    const chunks = loaded.filter((url) => url.includes('/dist/node/bundle/chunks/')).map((url) => url.replace(/^.*\/chunks\//, ''));
    expect(chunks.some((name) => name.startsWith('app-'))).toBe(true);
    expect(chunks.filter((name) => name.startsWith('redis-'))).toEqual([]);
    // V8 holds and pre-parses all the source it loads: none of zod's 60-odd unused message locales
    // (German stands for them), and no charset tables (iconv-lite loads when a body first needs it).
    const source = loaded.filter((url) => url.includes('/dist/node/bundle/')).map((url) => readFileSync(new URL(url), 'utf8')).join('\n');
    expect(source).toContain('Invalid input');
    expect(source).not.toMatch(/Ung(?:\\xFC|\u00fc)ltige Eingabe/);
    expect(source).not.toContain('node_modules/iconv-lite/');
    // Nor the Redis client: bundled, its modules are named by path (what NOT_AT_START cannot see).
    expect(source).not.toContain('node_modules/@redis/');
  });
});
