// Resident memory per socket with 100 tabs per session: RSS at 2,000 and 4,000 sockets (the
// per-socket figure is the slope between them), and RSS at 1k, 5k and 20k sockets for the chart.
import type { Socket } from 'socket.io-client';
import { dropIdleHttp, openTab, targetClient, times, type Credentials } from '../client.js';
import type { GrowthSeries } from '../growth.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { waitForSockets } from './heap.js';

const KINDS: readonly TargetKind[] = ['plain', 'recipe', 'tether'];
const TABS_PER_SESSION = 100;
const MiB = 2 ** 20;

/** RSS (after forced GCs) at each socket count, climbing from a fresh server. */
async function climb(ctx: BenchContext, kind: TargetKind, steps: readonly number[]): Promise<Map<number, number>> {
  let server: ServerHandle | undefined;
  const open: Socket[] = [];
  try {
    server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
    const url = server.url;
    const client = targetClient(kind, url);
    await client.prepare();
    const top = Math.max(...steps);
    const sessions: Credentials[] = kind === 'plain' ? [] : await times(Math.ceil(top / TABS_PER_SESSION), 8, () => client.signIn());
    dropIdleHttp();
    const credentialsOf = (i: number): Credentials => sessions[Math.floor(i / TABS_PER_SESSION)] ?? { cookie: '', csrfToken: undefined };
    const rss = new Map<number, number>();
    for (const step of steps) {
      const from = open.length;
      open.push(...(await times(step - from, 32, (i) => openTab(url, credentialsOf(from + i)))));
      await waitForSockets(server, open.length, 60_000);
      rss.set(step, (await server.heap()).rss);
      ctx.log(`rss ${kind}: ${step} sockets, ${((rss.get(step) ?? 0) / MiB).toFixed(1)} MiB`);
    }
    return rss;
  } finally {
    for (const s of open) s.disconnect();
    await closeAll([server]);
  }
}

const single = (value: number): Measured => ({ value, spread: Number.NaN, rounds: [value] });

export const rssScenario: Scenario = {
  name: 'rss',
  title: `Server RSS per socket, ${TABS_PER_SESSION} tabs per session`,
  async run(ctx: BenchContext) {
    // The quick run is the same climb at a fortieth of the size.
    const scale = ctx.quick ? 40 : 1;
    const cap = ctx.fdLimit - 1000;
    const from = 2000 / scale;
    const to = 4000 / scale;
    const wanted = [1000, 5000, 20_000].map((n) => n / scale);
    const chartSteps = wanted.map((n) => Math.min(n, cap));
    const steps = [...new Set([from, to, ...chartSteps])].sort((a, b) => a - b);
    const results = new Map<TargetKind, Map<number, number>>();
    for (const kind of KINDS) results.set(kind, await climb(ctx, kind, steps));
    const slope = (r: Map<number, number>): number => ((r.get(to) ?? Number.NaN) - (r.get(from) ?? Number.NaN)) / (to - from) / 1024;
    const perSocket: Figure['values'] = Object.fromEntries(KINDS.map((k) => [k, single(slope(results.get(k)!))]));
    const t = perSocket.tether?.value ?? Number.NaN;
    const figures: Figure[] = [
      figure('rss.perSocket', `RSS per socket, ${from.toLocaleString('en-US')} → ${to.toLocaleString('en-US')} sockets (${TABS_PER_SESSION}/session)`, 'KiB', perSocket, 'plain', { target: { text: '≤ 12 KiB', met: t <= 12 } }),
      ...chartSteps.map((n) =>
        figure(`rss.at.${n}`, `RSS at ${n.toLocaleString('en-US')} sockets`, 'MiB', Object.fromEntries(KINDS.map((k) => [k, single((results.get(k)!.get(n) ?? Number.NaN) / MiB)])), 'plain'),
      ),
    ];
    const capped = chartSteps.some((n, i) => n !== wanted[i]);
    const growth: GrowthSeries[] = [
      {
        id: 'rss',
        title: `Server RSS, ${TABS_PER_SESSION} tabs per session`,
        xLabel: 'connected sockets',
        unit: 'MiB',
        x: chartSteps,
        series: Object.fromEntries(KINDS.map((k) => [k, chartSteps.map((n) => (results.get(k)!.get(n) ?? Number.NaN) / MiB)])),
        ...(capped ? { note: `last point capped at ${cap.toLocaleString('en-US')} by ulimit -n ${ctx.fdLimit}` } : {}),
      },
    ];
    return {
      figures,
      growth,
      notes: [
        `Each server fresh; sessions signed in first (${TABS_PER_SESSION} tabs each; plain: no session), then sockets opened step by step to ${steps.join(', ')}; RSS after forced full GCs at each step. Per socket: the RSS slope between ${from} and ${to}.${capped ? ` The ${wanted.at(-1)?.toLocaleString('en-US')}-socket point is capped at ${cap.toLocaleString('en-US')}: each process may hold ${ctx.fdLimit} descriptors (ulimit -n) and every socket is one on both sides.` : ''}`,
      ],
      detail: Object.fromEntries([...results].map(([k, r]) => [k, Object.fromEntries([...r].map(([n, b]) => [n, b]))])),
    };
  },
};
