// With Redis: logout on node A while the tabs are on node B, against the same logout with the tabs on A.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { disconnectedAt, openTabs, sleep, targetClient, type TargetClient } from '../client.js';
import { closeAll, spawnServer, ServerStartError, type ServerHandle } from '../servers.js';
import { figure, fromLatency, type BenchContext, type Figure, type Scenario } from '../scenario.js';
import { latencyFigure } from '../stats.js';

const TABS = 10;

type Redis = ReturnType<typeof createClient>;

/** Sequential PINGs from the bench: what one Redis round trip costs on this machine now. */
async function redisRoundTripMs(redis: Redis, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await redis.ping();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/**
 * A message through Redis to another process and back (publish → relay's subscriber → publish →
 * ours), halved: the one-way hop a node's announcement takes, process wake-up included.
 */
async function relayHopMs(redis: Redis, url: string, prefix: string, count: number): Promise<number[]> {
  const relay = fork(fileURLToPath(new URL('../redis-relay.ts', import.meta.url)), [url, prefix], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const sub = redis.duplicate();
  sub.on('error', () => {});
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis relay did not start')), 15_000);
      relay.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      relay.once('exit', () => reject(new Error('redis relay exited')));
    });
    await sub.connect();
    let waiting: ((at: number) => void) | undefined;
    await sub.subscribe(`${prefix}relay:out`, () => waiting?.(performance.now()));
    const samples: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const back = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the redis relay within 2 s')), 2000);
        waiting = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      });
      const t0 = performance.now();
      await redis.publish(`${prefix}relay:in`, String(i));
      samples.push(((await back) - t0) / 2);
    }
    return samples;
  } finally {
    relay.kill();
    await sub.quit().catch(() => undefined);
  }
}

/** Signs in on `signIn`, opens the tabs on `tabsOn`, logs out on `signIn`: ms to the last disconnect. */
async function timeLogout(client: TargetClient, tabsOn: ServerHandle): Promise<number> {
  const credentials = await client.signIn();
  const sockets: Socket[] = await openTabs(tabsOn.url, credentials, TABS, 10);
  await sleep(20);
  const last = Promise.all(sockets.map((s) => disconnectedAt(s, 5_000)));
  const start = performance.now();
  const status = await client.logout(credentials);
  if (status !== 204) throw new Error(`logout: HTTP ${status}`);
  return Math.max(...(await last)) - start;
}

export async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...(Array.isArray(batch) ? batch : [batch]));
  for (let i = 0; i < keys.length; i += 500) await redis.del(keys.slice(i, i + 500));
}

export const crossNodeScenario: Scenario = {
  name: 'cross-node',
  title: `Cross-node logout over Redis (${TABS} tabs on node B, logout on node A) vs local`,
  async run(ctx: BenchContext) {
    const redis: Redis = createClient({ url: ctx.redisUrl, socket: { connectTimeout: 1000, reconnectStrategy: false } });
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      return { figures: [], notes: [], skipped: `Redis not reachable at ${ctx.redisUrl} (${error instanceof Error ? error.message : String(error)})` };
    }
    // Its own key and channel prefix: other runs and test suites share this Redis.
    const prefix = `tether-bench-${randomBytes(4).toString('hex')}:`;
    const env = { SESSION_STORE: 'redis', REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, SESSION_SECRET: randomBytes(24).toString('hex') };
    const nodes: ServerHandle[] = [];
    try {
      try {
        nodes.push(await spawnServer({ kind: 'tether', env }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {}));
        nodes.push(await spawnServer({ kind: 'tether', env }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {}));
      } catch (error) {
        if (error instanceof ServerStartError && /not available/i.test(error.message)) return { figures: [], notes: [], skipped: 'redis mode unavailable' };
        throw error;
      }
      const [a, b] = nodes as [ServerHandle, ServerHandle];
      const client = targetClient('tether', a.url);
      const rounds = ctx.quick ? 2 : 5;
      const perRound = ctx.quick ? 3 : 20;
      let failures = 0;
      const failed: string[] = [];
      // A sample that fails (a refused handshake on a loaded machine) is retried, and counted.
      const sample = async (tabsOn: ServerHandle): Promise<number> => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await timeLogout(client, tabsOn);
          } catch (error) {
            failures += 1;
            if (failed.length < 3) failed.push(error instanceof Error ? error.message : String(error));
            if (attempt >= 3) throw error;
            await sleep(200);
          }
        }
      };
      for (let i = 0; i < 3; i += 1) await sample(i % 2 ? b : a); // warm-up
      const local: number[][] = [];
      const cross: number[][] = [];
      const rtt: number[][] = [];
      for (let r = 0; r < rounds; r += 1) {
        const l: number[] = [];
        const c: number[] = [];
        // Interleaved, so both see the same machine.
        for (let i = 0; i < perRound; i += 1) {
          l.push(await sample(a));
          c.push(await sample(b));
        }
        local.push(l);
        cross.push(c);
        rtt.push(await redisRoundTripMs(redis, 200));
      }
      const hop = await relayHopMs(redis, ctx.redisUrl, prefix, ctx.quick ? 50 : 500);
      const lf = latencyFigure(local);
      const cf = latencyFigure(cross);
      const rf = latencyFigure(rtt);
      const hf = latencyFigure([hop]);
      const localP50 = lf.pooled.p50;
      const crossP50 = cf.pooled.p50;
      const rttP50 = rf.pooled.p50;
      const figures: Figure[] = [
        figure('crossNode.local.p50', `local logout p50 (${TABS} tabs on A)`, 'ms', { tether: fromLatency(lf, 'p50') }),
        figure('crossNode.local.p99', 'local logout p99', 'ms', { tether: fromLatency(lf, 'p99') }),
        figure('crossNode.cross.p50', `cross-node logout p50 (${TABS} tabs on B)`, 'ms', { tether: fromLatency(cf, 'p50') }, undefined, {
          ratio: { baseline: 'local', value: crossP50 / localP50 },
          target: { text: `≤ local + 1 Redis RTT (${(localP50 + rttP50).toFixed(2)} ms)`, met: crossP50 <= localP50 + rttP50 },
        }),
        figure('crossNode.cross.p99', 'cross-node logout p99', 'ms', { tether: fromLatency(cf, 'p99') }, undefined, { ratio: { baseline: 'local', value: cf.pooled.p99 / lf.pooled.p99 } }),
        figure('crossNode.extra.p50', 'cross − local, p50', 'ms', { tether: { value: crossP50 - localP50, spread: Number.NaN, rounds: [] } }),
        figure('crossNode.redisRtt.p50', 'Redis round trip (PING) p50', 'ms', { tether: fromLatency(rf, 'p50') }),
        figure('crossNode.relayHop.p50', 'Redis pub/sub hop to another process p50', 'ms', { tether: fromLatency(hf, 'p50') }),
      ];
      return {
        figures,
        notes: [
          `Two tether nodes with SESSION_STORE=redis (prefix ${prefix}, removed afterwards), users in each node's SQLite; sign-in and logout on A; local and cross-node samples interleaved, ${perRound} each per round, ${rounds} rounds. The pub/sub hop is half the time of a message to a relay process and back: the path an announcement takes, process wake-up included.`,
          ...(failures ? [`${failures} samples failed and were retried (${failed.join('; ')}).`] : []),
        ],
        detail: { localMs: lf.pooled, crossMs: cf.pooled, redisRttMs: rf.pooled, relayHopMs: hf.pooled, failures },
      };
    } finally {
      await closeAll(nodes);
      await removeKeys(redis, prefix).catch(() => undefined);
      await redis.quit().catch(() => undefined);
    }
  },
};
