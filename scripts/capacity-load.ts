// Capacity model, part 2: one node's event-loop p99 and memory as open sockets grow, read from its
// own /metrics. The server is a child process (`tsx server/main.ts`), the tabs live in this one.
// `npx tsx scripts/capacity-load.ts [maxSockets=12000] [step=2000]`
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { TestBrowser } from '../server/testing/test-browser.js';
import { freePort } from '../tests/support/services.js';
import { sample } from '../tests/ops/scrape.js';

const MAX = Number(process.argv[2] ?? 12_000);
const STEP = Number(process.argv[3] ?? 2000);
const TABS_PER_SESSION = 100;
/** Each tab touches once a minute (the page's throttle), at a random phase. */
const TOUCH_MS = 60_000;
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 8000);

async function main(): Promise<void> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-capacity-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DRAIN_MS: '0', MAX_SOCKETS_PER_SESSION: '100000', MAX_SOCKETS_PER_USER: '100000', HANDSHAKES_PER_IP_PER_SECOND: '100000', HANDSHAKE_BURST_PER_IP: '100000', REGISTRATIONS_PER_IP: '100000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const sockets: Socket[] = [];
  const timers: Array<ReturnType<typeof setInterval>> = [];
  try {
    for (let i = 0; ; i += 1) {
      if ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) break;
      if (i > 200) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    const scrape = async (): Promise<string> => (await fetch(`${url}/metrics`)).text();
    const row = async (n: number): Promise<void> => {
      await scrape(); // resets the event-loop histogram: the next scrape covers SETTLE_MS only
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const text = await scrape();
      const mb = (v: number | undefined): string => ((v ?? 0) / 2 ** 20).toFixed(1);
      process.stdout.write(`${String(n).padStart(6)} sockets  loop p99 ${((sample(text, 'nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000).toFixed(2).padStart(7)} ms  max ${((sample(text, 'nodejs_eventloop_lag_max_seconds') ?? 0) * 1000).toFixed(1).padStart(6)} ms  rss ${mb(sample(text, 'process_resident_memory_bytes'))} MB  heap ${mb(sample(text, 'nodejs_heap_size_used_bytes'))} MB\n`);
    };
    await row(0);
    let browser: TestBrowser | undefined;
    while (sockets.length < MAX) {
      const target = Math.min(MAX, sockets.length + STEP);
      while (sockets.length < target) {
        if (sockets.length % TABS_PER_SESSION === 0) {
          browser = new TestBrowser(url);
          const res = await browser.register(`load${sockets.length}x${port}`, 'correct horse battery');
          if (res.status !== 201) throw new Error(`register answered ${res.status}`);
        }
        const batch = Math.min(200, target - sockets.length);
        await Promise.all(
          Array.from({ length: batch }, () =>
            new Promise<void>((resolve, reject) => {
              const socket = io(url, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, auth: { csrfToken: browser!.csrfToken }, extraHeaders: { cookie: browser!.cookieHeader, origin: `http://localhost:${port}` } });
              socket.once('connect', () => {
                sockets.push(socket);
                const start = setTimeout(() => timers.push(setInterval(() => socket.emit('session:touch', {}, () => {}), TOUCH_MS)), Math.random() * TOUCH_MS);
                timers.push(start as unknown as ReturnType<typeof setInterval>);
                resolve();
              });
              socket.once('connect_error', (err) => reject(new Error(`handshake refused: ${err.message}`)));
            }),
          ),
        );
      }
      await row(sockets.length);
    }
  } finally {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.disconnect();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`capacity-load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
