// Starting the server: health, the generated secret, and a bad environment value refused.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sign } from 'cookie-signature';
import { SECRET_FILE } from '../../server/secrets.js';
import { startDashboard } from '../support/dashboard.js';

/** Runs server/main.ts with an environment and resolves with its exit code and stderr. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'tether-main-')), PORT: '0', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('GET /healthz', () => {
  it('answers 200 {"ok":true} once ready', async () => {
    const server = await startDashboard();
    try {
      const res = await server.browser().request('GET', '/healthz');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    } finally {
      await server.close();
    }
  });
});

describe('with no SESSION_SECRET', () => {
  it('generates a 32-byte secret into DATA_DIR with mode 0600 and reuses it on restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tether-secret-'));
    const first = await startDashboard({ dataDir });
    const b = first.browser();
    await b.register('sam', 'correct horse');
    await first.close();
    const file = join(dataDir, SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);

    const second = await startDashboard({ dataDir });
    try {
      expect(readFileSync(file, 'utf8').trim()).toBe(secret);
      // Same secret, same users: signing in on the restarted server works.
      const again = new (b.constructor as typeof import('../../server/testing/index.js').TestBrowser)(second.url);
      expect((await again.login('sam', 'correct horse')).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});

describe('with a comma list of secrets', () => {
  it('signs with the first and still accepts cookies signed with an older one (rotation)', async () => {
    const [current, old] = ['new-secret-0123456789abcdef', 'old-secret-0123456789abcdef'];
    const server = await startDashboard({ env: { SESSION_SECRET: `${current},${old}` } });
    try {
      const b = server.browser();
      await b.register('rita', 'correct horse');
      const sid = b.sessionId!;
      expect(decodeURIComponent(b.cookies.get('sid')!)).toBe(`s:${sign(sid, current)}`);
      const signedWithOld = server.browser();
      signedWithOld.cookies.set('sid', encodeURIComponent(`s:${sign(sid, old)}`));
      expect((await signedWithOld.session()).user?.username).toBe('rita');
      const forged = server.browser();
      forged.cookies.set('sid', encodeURIComponent(`s:${sign(sid, 'some-other-secret-0123456789')}`));
      expect((await forged.session()).user).toBeNull();
    } finally {
      await server.close();
    }
  });
});

describe('with a bad environment value', () => {
  it.each([
    ['SESSION_IDLE_TIMEOUT_MS', 'soon'],
    ['SESSION_STORE', 'mongo'],
    ['REDIS_URL', 'not a url'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'ftp://example.com'],
  ])('%s=%s stops the start with one line naming it', async (name, value) => {
    const { code, stderr } = await runMain({ [name]: value });
    expect(code).not.toBe(0);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toMatch(/expected/);
  });
});
