// Capacity: connected idle sockets before the server's event-loop delay p99 passes 10 ms.
import type { Socket } from 'socket.io-client';
import { dropIdleHttp, openTab, sleep, targetClient, times, type Credentials } from '../client.js';
import type { LoopDelay, TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { waitForSockets } from './heap.js';

const KINDS: readonly TargetKind[] = ['plain', 'recipe', 'tether'];
const LIMIT_MS = 10;

interface Step {
  sockets: number;
  loop: LoopDelay;
  heapUsed: number;
}

async function loopDelay(server: ServerHandle, windowMs: number): Promise<LoopDelay> {
  await server.call('eldStart', { resolutionMs: 1 });
  await sleep(windowMs);
  return server.call('eldStop', {});
}

/** Opens sockets step by step until the delay p99 passes the limit (confirmed once) or the cap. */
async function climb(ctx: BenchContext, kind: TargetKind, cap: number, step: number, tabs: number, windowMs: number): Promise<{ steps: Step[]; reached: number; over: boolean }> {
  let server: ServerHandle | undefined;
  const open: Socket[] = [];
  try {
    server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
    const url = server.url;
    const client = targetClient(kind, url);
    await client.prepare();
    const sessions: Credentials[] = kind === 'plain' ? [] : await times(Math.ceil(cap / tabs), 16, () => client.signIn());
    dropIdleHttp();
    const credentialsOf = (i: number): Credentials => sessions[Math.floor(i / tabs)] ?? { cookie: '', csrfToken: undefined };
    const steps: Step[] = [];
    let reached = 0;
    while (open.length < cap) {
      const from = open.length;
      const count = Math.min(step, cap - from);
      open.push(...(await times(count, 32, (i) => openTab(url, credentialsOf(from + i)))));
      await waitForSockets(server, open.length);
      let loop = await loopDelay(server, windowMs);
      // One window over the limit on a shared machine may be a neighbour's burst: look again.
      if (loop.p99Ms > LIMIT_MS) loop = await loopDelay(server, windowMs);
      steps.push({ sockets: open.length, loop, heapUsed: (await server.usage()).heapUsed });
      ctx.log(`capacity ${kind}: ${open.length} sockets, loop delay p99 ${loop.p99Ms.toFixed(2)} ms`);
      if (loop.p99Ms > LIMIT_MS) return { steps, reached, over: true };
      reached = open.length;
    }
    return { steps, reached, over: false };
  } finally {
    for (const s of open) s.disconnect();
    await closeAll([server]);
  }
}

export const capacityScenario: Scenario = {
  name: 'capacity',
  title: `Capacity: idle sockets before event-loop delay p99 passes ${LIMIT_MS} ms (bounded)`,
  async run(ctx: BenchContext) {
    const cap = Math.min(ctx.quick ? 600 : 16_000, ctx.fdLimit - 2000);
    const step = ctx.quick ? 300 : 2000;
    const tabs = 10;
    const windowMs = ctx.quick ? 200 : 1000;
    const results = new Map<TargetKind, Awaited<ReturnType<typeof climb>>>();
    for (const kind of KINDS) results.set(kind, await climb(ctx, kind, cap, step, tabs, windowMs));
    const values = (f: (r: Awaited<ReturnType<typeof climb>>) => number): Figure['values'] =>
      Object.fromEntries([...results].map(([k, r]): [TargetKind, Measured] => [k, { value: f(r), spread: Number.NaN, rounds: r.steps.map((s) => s.loop.p99Ms) }]));
    const sockets = values((r) => r.reached);
    const figures: Figure[] = [
      figure('capacity.sockets', `idle sockets with delay p99 ≤ ${LIMIT_MS} ms (cap ${cap.toLocaleString('en-US')})`, 'sockets', sockets, 'plain', { better: 'higher' }),
      figure('capacity.p99AtTop', 'loop delay p99 at the last step', 'ms', values((r) => r.steps.at(-1)?.loop.p99Ms ?? Number.NaN), 'plain'),
    ];
    const capped = [...results].filter(([, r]) => !r.over).map(([k]) => k);
    return {
      figures,
      notes: [
        `Sockets opened ${step} at a time (tether and recipe: ${tabs} tabs per session), each step followed by a ${windowMs} ms window of the server's event-loop delay (1 ms resolution), repeated once if over ${LIMIT_MS} ms. ${capped.length ? `${capped.join(', ')} reached the cap without passing the limit: the figure is a lower bound.` : ''}`,
      ],
      detail: Object.fromEntries([...results].map(([k, r]) => [k, r.steps])),
    };
  },
};
