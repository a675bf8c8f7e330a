// Server heap per connected socket at 5,000 sockets, after forced full GCs, against the baselines.
import type { Socket } from 'socket.io-client';
import { dropIdleHttp, openTab, sleep, targetClient, times, type Credentials } from '../client.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, fromRounds, type BenchContext, type Figure, type Scenario } from '../scenario.js';

/**
 * Resolves once the server counts `count` sockets and at most that many TCP connections (closes
 * reach it asynchronously, and a closing connection still holds its objects), or after `timeoutMs`.
 */
export async function waitForSockets(server: ServerHandle, count: number, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const usage = await server.usage();
    if (usage.sockets === count && usage.tcp <= count + 2) return;
    await sleep(50);
  }
  throw new Error(`${server.kind}: server did not reach ${count} sockets within ${timeoutMs} ms`);
}

interface Round {
  heapPerSocket: number;
  externalPerSocket: number;
  rssPerSocket: number;
}

/** One server, `sockets` sockets spread over sessions of `tabs` tabs each: heap per socket per round. */
async function measure(ctx: BenchContext, kind: TargetKind, sockets: number, tabs: number, rounds: number): Promise<Round[]> {
  let server: ServerHandle | undefined;
  const open: Socket[] = [];
  try {
    server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
    const url = server.url;
    const client = targetClient(kind, url);
    await client.prepare();
    const sessionCount = kind === 'plain' ? 0 : Math.ceil(sockets / tabs);
    ctx.log(`heap: signing in ${sessionCount} sessions on ${kind}`);
    // The sessions exist before the first measurement: what is measured is what a socket adds.
    const sessions: Credentials[] = await times(sessionCount, 16, () => client.signIn());
    dropIdleHttp();
    const credentialsOf = (i: number): Credentials => sessions[Math.floor(i / tabs)] ?? { cookie: '', csrfToken: undefined };
    const openAll = (count: number): Promise<Socket[]> => times(count, 32, (i) => openTab(url, credentialsOf(i)));
    // Warm-up: code compiled and pools grown once, not counted per socket.
    for (const s of await openAll(Math.min(500, sockets))) s.disconnect();
    await waitForSockets(server, 0);
    const rs: Round[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const before = await server.heap();
      open.push(...(await openAll(sockets)));
      await waitForSockets(server, sockets);
      const after = await server.heap();
      rs.push({ heapPerSocket: (after.heapUsed - before.heapUsed) / sockets, externalPerSocket: (after.external - before.external) / sockets, rssPerSocket: (after.rss - before.rss) / sockets });
      ctx.log(`heap ${kind} (${tabs} tab/session) round ${r + 1}: ${(rs.at(-1)!.heapPerSocket / 1024).toFixed(2)} KiB per socket`);
      for (const s of open.splice(0)) s.disconnect();
      await waitForSockets(server, 0);
    }
    return rs;
  } finally {
    for (const s of open) s.disconnect();
    await closeAll([server]);
  }
}

export const heapScenario: Scenario = {
  name: 'heap',
  title: 'Server heap per connected socket (forced GC)',
  async run(ctx: BenchContext) {
    const sockets = Math.min(ctx.quick ? 150 : 5000, ctx.fdLimit - 2000);
    const rounds = ctx.quick ? 1 : 3;
    // Worst case first: one tab per session, so all per-session state counts against each socket.
    const layouts = ctx.quick ? [1] : [1, 5];
    const figures: Figure[] = [];
    const detail: Record<string, unknown> = {};
    const plain = await measure(ctx, 'plain', sockets, 1, rounds);
    for (const tabs of layouts) {
      const results = new Map<TargetKind, Round[]>([['plain', plain]]);
      for (const kind of ['recipe', 'tether'] as const) results.set(kind, await measure(ctx, kind, sockets, tabs, rounds));
      const per = (f: (r: Round) => number): Figure['values'] => Object.fromEntries([...results].map(([k, rs]) => [k, fromRounds(rs.map((r) => f(r) / 1024))]));
      const heap = per((r) => r.heapPerSocket);
      const t = heap.tether?.value ?? Number.NaN;
      const label = `heap per socket, ${sockets.toLocaleString('en-US')} sockets, ${tabs} tab${tabs > 1 ? 's' : ''}/session`;
      figures.push(figure(`heap.perSocket.${tabs}`, label, 'KiB', heap, 'plain', tabs === 1 ? { target: { text: '≤ 12 KiB', met: t <= 12 } } : {}));
      detail[`${tabs} tabs/session`] = { externalKiBPerSocket: per((r) => r.externalPerSocket), rssKiBPerSocket: per((r) => r.rssPerSocket) };
    }
    return {
      figures,
      notes: [
        `Each server in a fresh process; sessions signed in first, then ${sockets} sockets opened; heapUsed after forced full GCs before and after, divided by the socket count; ${rounds} round${rounds > 1 ? 's' : ''} (close all, reopen) after a warm-up. Plain Socket.IO has no sessions (one socket per "browser").`,
      ],
      detail,
    };
  },
};
