// `npm run dev` as the README says: Vite serves the page and proxies the API and the socket; in Chromium it signs in and goes live.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { devServerEnv } from '../../scripts/dev.js';
import { freePort } from '../support/services.js';
import { browserKit, createAccount, panel } from './support.js';

const kit = browserKit();

interface DevSetup {
  child: ChildProcess;
  output: () => string;
  /** Resolves when both the server and Vite said they listen. */
  ready: Promise<void>;
}

let running: Array<{ setup: DevSetup; dataDir: string }> = [];
/** Closed before the dev setup stops: an open page would log the refused reconnects of Vite's client and the socket. */
let contexts: BrowserContext[] = [];

/** Whether any process of the group `pgid` is still there. */
const groupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ends `npm run dev` and everything it started (npm, the dev script, tsx watch and its server, Vite): one process group. */
async function stopDev({ child }: DevSetup): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  expect(groupAlive(pgid), 'a process of npm run dev outlived SIGTERM').toBe(false);
}

afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  contexts = [];
  for (const { setup, dataDir } of running) {
    await stopDev(setup);
    rmSync(dataDir, { recursive: true, force: true });
  }
  running = [];
});

/** `npm run dev` in its own process group, on the given ports, with a data dir of its own. */
function startDev(serverPort: number, vitePort: number): DevSetup {
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-dev-'));
  const env = { ...process.env, PORT: String(serverPort), VITE_PORT: String(vitePort), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  const child = spawn('npm', ['run', 'dev'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const ready = new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      text += chunk.toString();
      if (text.includes('tether listening') && text.includes('tether: open ') && /ready in/.test(text)) resolve();
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => reject(new Error(`npm run dev exited with ${code}:\n${text}`)));
  });
  const setup = { child, output: () => text, ready };
  running.push({ setup, dataDir });
  return setup;
}

describe('the dev server environment', () => {
  it('allows the Vite origin, under both names, besides the defaults', () => {
    expect(devServerEnv({ PORT: '3100', VITE_PORT: '5200' }).ALLOWED_ORIGINS).toBe(
      'http://localhost:3100,http://127.0.0.1:3100,http://localhost:5200,http://127.0.0.1:5200',
    );
    expect(devServerEnv({}).ALLOWED_ORIGINS).toBe('http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173,http://127.0.0.1:5173');
    expect(devServerEnv({ ALLOWED_ORIGINS: 'https://a.example' }).ALLOWED_ORIGINS).toBe('https://a.example,http://localhost:5173,http://127.0.0.1:5173');
    // The server's start line then names the page to open: Vite's.
    expect(devServerEnv({ VITE_PORT: '5200' }).PUBLIC_URL).toBe('http://localhost:5200');
    expect(devServerEnv({ PUBLIC_URL: 'http://dev.example:8080' }).PUBLIC_URL).toBe('http://dev.example:8080');
  });
});

describe.skipIf(!kit.available)('when a developer runs npm run dev and opens the Vite page', () => {
  it('the page loads, signs in and its live panels connect through the Vite proxy', async () => {
    const [serverPort, vitePort] = [await freePort(), await freePort()];
    const dev = startDev(serverPort, vitePort);
    await dev.ready;
    const vite = `http://localhost:${vitePort}`;
    expect(dev.output()).toContain(`tether: open ${vite}\n`);

    // The module /api.ts is Vite's (JavaScript), while /api/… and /healthz are the server's.
    const apiModule = await fetch(`${vite}/api.ts`);
    expect(apiModule.headers.get('content-type')).toMatch(/javascript/);
    expect(await (await fetch(`${vite}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${vite}/api/session`)).status).toBe(200);

    const context = await kit.context();
    contexts.push(context);
    const page = await kit.page(context, vite);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ timeout: 60_000 });
    await createAccount(page, 'devon');
    await panel(page, 'Shared counter').getByText('Live', { exact: true }).waitFor();
    await panel(page, 'Theme').getByText('Live', { exact: true }).waitFor();
  }, 120_000);
});
