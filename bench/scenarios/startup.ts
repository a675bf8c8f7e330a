// Start-up time and idle memory, measured from outside as `npm start` runs the server: spawn the
// command, poll until it answers, read its RSS from /proc. tether under tsx and compiled (when built).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../client.js';
import { BENCH_TETHER_ENV } from '../baselines/tether.js';
import { buildChildren } from '../build-children.js';
import { availableRuntimes, ROOT, RUNTIMES, type Runtime } from '../launch.js';
import type { TargetKind } from '../protocol.js';
import { figure, fromRounds, ratioOf, type BenchContext, type Figure, type Scenario } from '../scenario.js';

const READY_WITHIN_MS = 30_000;

/** A port that was free a moment ago (the child binds it; a race is possible but harmless here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** tether is ready when /readyz says so (or /healthz, while there is no /readyz); a baseline when Engine.IO opens a session. */
async function isReady(kind: TargetKind, base: string): Promise<boolean> {
  if (kind !== 'tether') return (await status(`${base}/socket.io/?EIO=4&transport=polling`)) === 200;
  const ready = await status(`${base}/readyz`);
  return ready === 200 || (ready === 404 && (await status(`${base}/healthz`)) === 200);
}

/** Resident set of a process, from /proc (Linux). */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? Number.NaN) * 1024;
}

interface Start {
  readyMs: number;
  idleRss: number;
}

/** Spawns one server as its own program, times it to ready, lets it idle, reads its RSS, stops it. */
async function startOnce(kind: TargetKind, runtime: Runtime, dataDir: string, idleMs: number): Promise<Start> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' };
  const args = kind === 'tether' ? [...RUNTIMES[runtime].nodeArgs, RUNTIMES[runtime].main] : [join(buildChildren(), 'standalone.js'), kind];
  if (kind === 'tether') Object.assign(env, BENCH_TETHER_ENV, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    while (!(await isReady(kind, base))) {
      if (child.exitCode !== null) throw new Error(`${kind} (${runtime}) exited before it was ready: ${stderr.trim().split('\n').slice(-2).join(' | ')}`);
      if (performance.now() - t0 > READY_WITHIN_MS) throw new Error(`${kind} (${runtime}) not ready within ${READY_WITHIN_MS} ms`);
      await sleep(5);
    }
    const readyMs = performance.now() - t0;
    await sleep(idleMs);
    return { readyMs, idleRss: rssOf(child.pid ?? -1) };
  } finally {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  }
}

export const startupScenario: Scenario = {
  name: 'startup',
  title: 'Ready after start and idle RSS, each server started as its own program',
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 1 : 5;
    const idleMs = ctx.quick ? 200 : 1000;
    const runtimes = availableRuntimes();
    const figures: Figure[] = [];
    const detail: Record<string, unknown> = {};
    const baselines = new Map<TargetKind, Start[]>();
    const dataDir = mkdtempSync(join(tmpdir(), 'tether-bench-start-'));
    try {
      const measure = async (kind: TargetKind, runtime: Runtime): Promise<Start[]> => {
        // The first start is a warm-up (file cache; tether's first start also creates its data dir).
        await startOnce(kind, runtime, dataDir, 0);
        const starts: Start[] = [];
        for (let r = 0; r < rounds; r += 1) starts.push(await startOnce(kind, runtime, dataDir, idleMs));
        ctx.log(`startup ${kind}${kind === 'tether' ? ` (${runtime})` : ''}: ready ${starts.map((s) => s.readyMs.toFixed(0)).join('/')} ms, idle RSS ${starts.map((s) => (s.idleRss / 2 ** 20).toFixed(0)).join('/')} MiB`);
        return starts;
      };
      for (const kind of ['plain', 'recipe'] as const) baselines.set(kind, await measure(kind, 'compiled'));
      for (const runtime of runtimes) {
        const tether = await measure('tether', runtime);
        const all = new Map<TargetKind, Start[]>([...baselines, ['tether', tether]]);
        const values = (f: (s: Start) => number): Figure['values'] => Object.fromEntries([...all].map(([k, ss]) => [k, fromRounds(ss.map(f))]));
        const ready = values((s) => s.readyMs);
        const rss = values((s) => s.idleRss / 2 ** 20);
        const rssRatio = ratioOf(rss, 'plain');
        const readyMs = ready.tether?.value ?? Number.NaN;
        figures.push(
          figure(`startup.ready.${runtime}`, `ready after start (tether ${runtime})`, 'ms', ready, 'plain', { target: { text: '≤ 500 ms', met: readyMs <= 500 } }),
          figure(`startup.idleRss.${runtime}`, `server RSS idle (tether ${runtime})`, 'MiB', rss, 'plain', rssRatio ? { target: { text: '≤ 1.3× plain', met: rssRatio.value <= 1.3 } } : {}),
        );
        detail[runtime] = tether;
      }
      detail.baselines = Object.fromEntries(baselines);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    return {
      figures,
      notes: [
        `Each server spawned as its own program: tether as \`node ${RUNTIMES.tsx.nodeArgs.join(' ')} ${RUNTIMES.tsx.main}\` (tsx) and \`node ${RUNTIMES.compiled.main}\` (compiled), from bench/launch.ts; the baselines as \`node bench/.build/standalone.js\` (transpiled JavaScript). Ready: spawn → first 200 from /readyz (tether; /healthz while there is no /readyz) or an Engine.IO open (baselines), polled every 5 ms. Idle RSS: VmRSS ${idleMs} ms after ready. ${rounds} starts each after one warm-up start; same DATA_DIR throughout (the first start creates it).`,
        ...(runtimes.includes('compiled') ? [] : [`No fresh compiled build (${RUNTIMES.compiled.main} missing or older than its sources): only tsx measured. \`npm run build\` first to measure what \`npm start\` will run.`]),
      ],
      detail,
    };
  },
};
