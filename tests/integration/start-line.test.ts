// `npm start` says where to go: besides its JSON log line, one plain line with the URL to open.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs server/main.ts until its first `tether: open …` line, then stops it; resolves with that line's URL and what GET <URL>/healthz answered. */
function openLine(env: Record<string, string>): Promise<{ url: string; healthz: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-start-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<{ url: string; healthz: number }>((resolve, reject) => {
    // Rejects before the test's own timeout, so the child is stopped below even when no line comes.
    const timer = setTimeout(() => reject(new Error(`no "tether: open" line within 15 s:\n${stdout}${stderr}`)), 15_000);
    child.once('exit', () => clearTimeout(timer));
    child.once('exit', (code) => reject(new Error(`server/main.ts exited with ${code} before printing the URL:\n${stdout}${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^tether: open (\S+)$/m.exec(stdout);
      if (!line) return;
      // Opened as printed (unless it is PUBLIC_URL, a proxy this test does not have): the server answers.
      const url = line[1]!;
      if (env.PUBLIC_URL) return resolve({ url, healthz: 0 });
      void fetch(`${url}/healthz`).then((res) => resolve({ url, healthz: res.status }), reject);
    });
  }).finally(async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });
}

describe('when the server starts', () => {
  it('prints a plain line with the URL to open, on the port it listens on', async () => {
    const { url, healthz } = await openLine({});
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(url).not.toBe('http://localhost:0');
    expect(healthz).toBe(200);
  });

  it('names PUBLIC_URL when one is set (the origin users open, behind a proxy)', async () => {
    const { url } = await openLine({ PUBLIC_URL: 'https://app.example.com' });
    expect(url).toBe('https://app.example.com');
  });
});
