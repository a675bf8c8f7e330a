// A reconnect storm: a node with many sessions × tabs is killed and started again on its port; every
// tab retries on the real client's backoff. Time until every tab is back and admitted, and the new
// node's CPU and event-loop delay meanwhile, against plain Socket.IO doing the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { jitteredBackoff, phoenixBackoff } from '../../client/toolkit/index.js';
import { dropIdleHttp, openTab, sleep, targetClient, times, type Credentials } from '../client.js';
import type { LoopDelay, TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { removeKeys } from './cross-node.js';
import { freePort } from './startup.js';

const KINDS: readonly TargetKind[] = ['plain', 'tether'];
/** The dashboard client's default (client/toolkit/live-binding.ts): Phoenix's steps with ±20 % jitter. */
const BACKOFF = jitteredBackoff(phoenixBackoff);

interface Tab {
  credentials: Credentials;
  socket: Socket;
  admittedAt?: number;
}

interface Storm {
  tabs: number;
  back: number;
  restartMs: number;
  allBackMs: number;
  spanMs: number;
  cpuMs: number;
  loop: LoopDelay;
  failures: Record<string, number>;
}

/** Once the tab's socket drops: retry on the client's backoff until admitted or `deadline`. */
function rejoin(url: string, tab: Tab, deadline: number, failures: Record<string, number>): Promise<void> {
  return new Promise((resolve) => {
    tab.socket.once('disconnect', async () => {
      for (let tries = 1; performance.now() < deadline; tries += 1) {
        await sleep(BACKOFF(tries));
        try {
          tab.socket = await openTab(url, tab.credentials, 5_000);
          tab.admittedAt = performance.now();
          return resolve();
        } catch (error) {
          const why = (error instanceof Error ? error.message : String(error)).replace(/^handshake refused: /, '');
          failures[why] = (failures[why] ?? 0) + 1;
        }
      }
      resolve();
    });
  });
}

async function storm(ctx: BenchContext, kind: TargetKind, sessions: number, tabsPer: number, env: Record<string, string>): Promise<Storm> {
  const port = await freePort();
  const opts = ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {};
  let server: ServerHandle | undefined = await spawnServer({ kind, env, port }, opts);
  const tabs: Tab[] = [];
  try {
    const client = targetClient(kind, server.url);
    await client.prepare();
    const creds = kind === 'plain' ? Array<Credentials>(sessions).fill({ cookie: '', csrfToken: undefined }) : await times(sessions, 8, () => client.signIn());
    dropIdleHttp();
    const url = server.url;
    const sockets = await times(sessions * tabsPer, 32, (i) => openTab(url, creds[Math.floor(i / tabsPer)]!));
    sockets.forEach((socket, i) => tabs.push({ credentials: creds[Math.floor(i / tabsPer)]!, socket }));
    ctx.log(`storm ${kind}: ${tabs.length} tabs connected; killing the node`);
    const failures: Record<string, number> = {};
    const killedAt = performance.now();
    const back = Promise.all(tabs.map((t) => rejoin(url, t, killedAt + (ctx.quick ? 30_000 : 120_000), failures)));
    await server.kill();
    server = await spawnServer({ kind, env, port }, opts);
    const readyAt = performance.now();
    await server.call('eldStart', { resolutionMs: 10 });
    const before = await server.usage();
    await back;
    const after = await server.usage();
    const loop = await server.call('eldStop', {});
    const admitted = tabs.flatMap((t) => (t.admittedAt === undefined ? [] : [t.admittedAt]));
    const last = Math.max(...admitted);
    const result: Storm = {
      tabs: tabs.length,
      back: admitted.length,
      restartMs: readyAt - killedAt,
      allBackMs: admitted.length === tabs.length ? last - killedAt : Number.NaN,
      spanMs: last - Math.min(...admitted),
      cpuMs: (after.cpuUs - before.cpuUs) / 1000,
      loop,
      failures,
    };
    ctx.log(`storm ${kind}: ${result.back}/${result.tabs} back ${result.allBackMs.toFixed(0)} ms after the kill (restart ${result.restartMs.toFixed(0)} ms), CPU ${result.cpuMs.toFixed(0)} ms, loop p99 ${loop.p99Ms.toFixed(1)} ms`);
    return result;
  } finally {
    for (const t of tabs) t.socket.disconnect();
    await closeAll([server]);
  }
}

const single = (value: number): Measured => ({ value, spread: Number.NaN, rounds: [value] });

export const stormScenario: Scenario = {
  name: 'storm',
  title: 'Reconnect storm: a node killed and restarted under many sessions × tabs',
  async run(ctx: BenchContext) {
    const sessions = ctx.quick ? 50 : 2000;
    const tabsPer = 5;
    // Sessions must outlive the node: tether keeps them in Redis here (users in the node's SQLite).
    const redis = createClient({ url: ctx.redisUrl, socket: { connectTimeout: 1000, reconnectStrategy: false } });
    redis.on('error', () => {});
    try {
      await redis.connect();
    } catch (error) {
      return { figures: [], notes: [], skipped: `Redis not reachable at ${ctx.redisUrl} (${error instanceof Error ? error.message : String(error)}): tether's sessions would not survive the restart` };
    }
    const prefix = `tether-bench-${randomBytes(4).toString('hex')}:`;
    const dataDir = mkdtempSync(join(tmpdir(), 'tether-bench-storm-'));
    const results = new Map<TargetKind, Storm>();
    try {
      const tetherEnv = { SESSION_STORE: 'redis', REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, SESSION_SECRET: randomBytes(24).toString('hex'), DATA_DIR: dataDir };
      for (const kind of KINDS) results.set(kind, await storm(ctx, kind, sessions, tabsPer, kind === 'tether' ? tetherEnv : {}));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await removeKeys(redis, prefix).catch(() => undefined);
      await redis.quit().catch(() => undefined);
    }
    const values = (f: (s: Storm) => number): Figure['values'] => Object.fromEntries([...results].map(([k, s]) => [k, single(f(s))]));
    const n = sessions * tabsPer;
    const figures: Figure[] = [
      figure('storm.allBack', `every tab back and admitted (${sessions.toLocaleString('en-US')} × ${tabsPer} tabs), from the kill`, 'ms', values((s) => s.allBackMs), 'plain'),
      figure('storm.restart', 'kill → restarted node listening', 'ms', values((s) => s.restartMs), 'plain'),
      figure('storm.span', 'first → last tab admitted', 'ms', values((s) => s.spanMs), 'plain'),
      figure('storm.cpu', 'server CPU meanwhile (ready → all back)', 'ms', values((s) => s.cpuMs), 'plain'),
      figure('storm.cpuPerTab', 'server CPU per readmitted tab', 'µs', values((s) => (s.cpuMs * 1000) / s.back), 'plain'),
      figure('storm.loopP99', 'event-loop delay p99 meanwhile', 'ms', values((s) => s.loop.p99Ms), 'plain'),
      figure('storm.loopMax', 'event-loop delay max meanwhile', 'ms', values((s) => s.loop.maxMs), 'plain'),
    ];
    const missing = [...results].filter(([, s]) => s.back < s.tabs).map(([k, s]) => `${k}: ${s.tabs - s.back} of ${s.tabs} tabs not back in time`);
    return {
      figures,
      notes: [
        `${sessions} sessions × ${tabsPer} tabs (${n.toLocaleString('en-US')} sockets; plain: as many sockets, no session) on one node, which is then SIGKILLed and started again on its port. Each tab retries on the dashboard client's default backoff (client/toolkit/backoff.ts: 10, 50, 100 … 2000 ms, then 5 s, each ±20 % at random), so the retries come in spread-out waves. tether keeps sessions in Redis (SESSION_STORE=redis, prefix ${prefix}, removed afterwards). CPU and event-loop delay (10 ms resolution) of the new node from ready until the last tab is back. No target in issue 14: read the ratio.`,
        ...missing,
        ...[...results].filter(([, s]) => Object.keys(s.failures).length).map(([k, s]) => `${k}: failed attempts ${Object.entries(s.failures).map(([why, c]) => `${why} ×${c}`).join(', ')}`),
      ],
      detail: Object.fromEntries(results),
    };
  },
};
