// Capacity model, part 1: Redis commands and pub/sub messages per handshake, touch and end, counted
// with INFO commandstats on a redis-server of its own (two nodes, so ends cross nodes). `npx tsx scripts/capacity-ops.ts`
import { createClient } from 'redis';
import { randomBytes } from 'node:crypto';
import { startDashboard, type DashboardServer } from '../tests/support/dashboard.js';
import type { TestTab } from '../server/testing/index.js';
import { ownRedis } from '../tests/support/services.js';

const ROUNDS = 50;
type Stats = Map<string, number>;

async function commandStats(url: string): Promise<Stats> {
  const client = createClient({ url });
  await client.connect();
  const info = await client.info('commandstats');
  const pubsub = await client.info('stats');
  client.destroy();
  const stats: Stats = new Map();
  for (const m of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) stats.set(m[1]!, Number(m[2]));
  // Messages delivered to subscribers are not commands: INFO stats has no counter either, so they
  // are computed from the publishes and the subscriber count (see docs/scale-out.md).
  void pubsub;
  return stats;
}

function delta(before: Stats, after: Stats, per: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, n] of after) {
    const d = n - (before.get(cmd) ?? 0);
    if (d > 0 && cmd !== 'info') out[cmd] = Math.round((d / per) * 100) / 100;
  }
  return out;
}

/** MONITOR lines of one step: top-level commands (round trips) and those run inside Lua scripts. */
async function monitored(url: string): Promise<{ lines: string[]; stop(): Promise<void> }> {
  const client = createClient({ url });
  await client.connect();
  const lines: string[] = [];
  await client.monitor((line) => lines.push(String(line)));
  return { lines, stop: async () => client.destroy() };
}

async function measure(url: string, label: string, per: number, run: () => Promise<void>): Promise<void> {
  const before = await commandStats(url);
  const monitor = await monitored(url);
  await run();
  // Background steps (registry removal, announcements) settle within a few ms.
  await new Promise((r) => setTimeout(r, 300));
  await monitor.stop();
  const d = delta(before, await commandStats(url), per);
  const total = Object.values(d).reduce((a, b) => a + b, 0);
  const top = monitor.lines.filter((l) => !l.includes(' lua]') && !/"(info|monitor|client)"/i.test(l));
  const publishes = top.filter((l) => /"publish"/i.test(l)).length;
  process.stdout.write(`${label.padEnd(30)} round trips ${(top.length / per).toFixed(2).padStart(5)}  commands ${total.toFixed(2).padStart(6)}  publishes ${(publishes / per).toFixed(2)}  ${JSON.stringify(d)}\n`);
}

async function main(): Promise<void> {
  const redis = await ownRedis();
  await redis.start();
  const secret = randomBytes(24).toString('hex');
  const env = { SESSION_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: 'cap:', SESSION_SECRET: secret, HANDSHAKE_BURST_PER_IP: '10000' };
  const nodes: DashboardServer[] = [await startDashboard({ env }), await startDashboard({ env })];
  const [a, b] = nodes as [DashboardServer, DashboardServer];
  try {
    const browsers = Array.from({ length: ROUNDS }, () => a.browser());
    await measure(redis.url, 'register (sign-in)', ROUNDS, async () => {
      for (const [i, browser] of browsers.entries()) await browser.register(`cap${i}${randomBytes(2).toString('hex')}`, 'correct horse battery');
    });
    const tabs: TestTab[] = [];
    await measure(redis.url, 'handshake (tab opened)', ROUNDS, async () => {
      for (const browser of browsers) tabs.push(await browser.openTab());
    });
    await measure(redis.url, 'session:touch', ROUNDS, async () => {
      for (const tab of tabs) await tab.touch();
    });
    for (const browser of browsers) await browser.on(b).openTab();
    await measure(redis.url, 'logout (tabs on A and B)', ROUNDS, async () => {
      for (const browser of browsers) await browser.logout();
    });
    const idle = a.browser();
    await idle.register(`capidle${randomBytes(2).toString('hex')}`, 'correct horse battery');
    await measure(redis.url, 'GET /api/session (signed in)', ROUNDS, async () => {
      for (let i = 0; i < ROUNDS; i += 1) await idle.request('GET', '/api/session');
    });
  } finally {
    for (const node of nodes) await node.close();
    await redis.stop();
  }
}

void main();
