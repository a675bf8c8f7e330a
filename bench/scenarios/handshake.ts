// Handshakes per second over WebSocket (open + close) and the server CPU each one costs.
import type { Socket } from 'socket.io-client';
import { openTab, sleep, targetClient, times, type Credentials, type TargetClient } from '../client.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, fromLatency, fromRounds, ratioOf, rotation, withRatio, type BenchContext, type Figure, type Scenario } from '../scenario.js';
import { latencyFigure } from '../stats.js';

const KINDS: readonly TargetKind[] = ['plain', 'recipe', 'tether'];

/** Until the server has processed every close it was sent (bounded: a stuck count is reported). */
async function drained(server: ServerHandle, timeoutMs = 10_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while ((await server.usage()).sockets > 0) {
    if (performance.now() > until) throw new Error(`${server.kind}: sockets still open ${timeoutMs} ms after the round`);
    await sleep(5);
  }
}

export interface Round {
  rate: number;
  cpuUsPerHandshake: number;
  latenciesMs: number[];
}

/**
 * One loop per entry of `sessions` (the same credentials several times: tabs of one session), each
 * opening a socket and closing it again, until `windowMs` has passed. The server's CPU is read once
 * it has seen every close, so a handshake's cost includes its disconnect.
 */
export async function round(server: ServerHandle, client: TargetClient, sessions: Credentials[], windowMs: number, maxHandshakes: number): Promise<Round> {
  const latenciesMs: number[] = [];
  const before = await server.usage();
  const start = performance.now();
  const stopAt = start + windowMs;
  let started = 0;
  await Promise.all(
    sessions.map(async (credentials) => {
      while (performance.now() < stopAt && started < maxHandshakes) {
        started += 1;
        const t0 = performance.now();
        const socket: Socket = await openTab(client.url, credentials);
        latenciesMs.push(performance.now() - t0);
        socket.disconnect();
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  await drained(server);
  const after = await server.usage();
  return { rate: (latenciesMs.length / elapsedMs) * 1000, cpuUsPerHandshake: (after.cpuUs - before.cpuUs) / latenciesMs.length, latenciesMs };
}

export const handshakeScenario: Scenario = {
  name: 'handshake',
  title: 'Handshakes over WebSocket (open + close)',
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 2 : 7;
    const windowMs = ctx.quick ? 400 : 1500;
    const concurrency = 8;
    const servers = new Map<TargetKind, ServerHandle>();
    try {
      const clients = new Map<TargetKind, { client: TargetClient; sessions: Credentials[] }>();
      for (const kind of KINDS) {
        const server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
        servers.set(kind, server);
        const client = targetClient(kind, server.url);
        await client.prepare();
        // One session per loop, as one browser opening and closing tabs.
        clients.set(kind, { client, sessions: await times(concurrency, concurrency, () => client.signIn()) });
      }
      const results = new Map<TargetKind, Round[]>(KINDS.map((k) => [k, []]));
      // Warm-up: JIT and pools, not recorded.
      for (const kind of KINDS) {
        const { client, sessions } = clients.get(kind)!;
        await round(servers.get(kind)!, client, sessions, windowMs / 2, 100_000);
      }
      for (let r = 0; r < rounds; r += 1) {
        for (const kind of rotation(KINDS, r)) {
          const { client, sessions } = clients.get(kind)!;
          results.get(kind)!.push(await round(servers.get(kind)!, client, sessions, windowMs, 100_000));
        }
        ctx.log(`handshake round ${r + 1}/${rounds}: ${KINDS.map((k) => `${k} ${results.get(k)!.at(-1)!.rate.toFixed(0)}/s`).join(', ')}`);
      }
      const per = <T>(f: (rs: Round[]) => T): Partial<Record<TargetKind, T>> => Object.fromEntries(KINDS.map((k) => [k, f(results.get(k)!)]));
      const rate = per((rs) => fromRounds(rs.map((x) => x.rate)));
      const latency = per((rs) => latencyFigure(rs.map((x) => x.latenciesMs)));
      const quantile = (q: 'p50' | 'p99'): Figure['values'] => Object.fromEntries(KINDS.map((k) => [k, fromLatency(latency[k]!, q)]));
      const rateRatio = ratioOf(rate, 'plain');
      const figures: Figure[] = [
        {
          id: 'handshake.rate',
          label: 'handshakes per second',
          unit: '/s',
          better: 'higher',
          values: rate,
          ...withRatio(rate, 'plain'),
          ...(rateRatio ? { target: { text: '≥ 0.9× plain', met: rateRatio.value >= 0.9 } } : {}),
        },
        figure('handshake.cpu', 'server CPU per handshake', 'µs', per((rs) => fromRounds(rs.map((x) => x.cpuUsPerHandshake))), 'plain'),
        // What the server could do with a whole core to itself: the client shares this machine.
        figure('handshake.capacity', 'handshakes per server CPU-second', '/s', per((rs) => fromRounds(rs.map((x) => 1e6 / x.cpuUsPerHandshake))), 'plain', { better: 'higher' }),
        figure('handshake.p50', 'open latency p50', 'ms', quantile('p50'), 'plain'),
        figure('handshake.p99', 'open latency p99', 'ms', quantile('p99'), 'plain'),
      ];
      return {
        figures,
        notes: [
          `${concurrency} concurrent open+close loops, one session each; ${rounds} rounds of ${windowMs} ms after a warm-up; CPU is the server process's user+system time. The load generator (socket.io-client) shares the machine's cores and is the tighter bottleneck, so the rate also reflects each handshake's latency; "per server CPU-second" is the server's own cost.`,
        ],
        detail: { openLatencyPooledMs: Object.fromEntries(KINDS.map((k) => [k, latency[k]?.pooled])) },
      };
    } finally {
      await closeAll(servers.values());
    }
  },
};

