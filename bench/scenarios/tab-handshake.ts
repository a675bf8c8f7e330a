// Handshakes of many tabs of one session at once: open + close loops at concurrency 1, 20 and 100,
// all on one session (plain Socket.IO: no session), with the server CPU per connect + disconnect.
import { targetClient, type Credentials, type TargetClient } from '../client.js';
import type { GrowthSeries } from '../growth.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, fromLatency, fromRounds, ratioOf, rotation, type BenchContext, type Figure, type Scenario } from '../scenario.js';
import { latencyFigure } from '../stats.js';
import { round, type Round } from './handshake.js';

const KINDS: readonly TargetKind[] = ['plain', 'recipe', 'tether'];
export const CONCURRENCY: readonly number[] = [1, 20, 100];

export const tabHandshakeScenario: Scenario = {
  name: 'tab-handshake',
  title: 'Handshakes of tabs of one session at once (concurrency 1, 20, 100)',
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 2 : 5;
    const windowMs = ctx.quick ? 250 : 1500;
    const servers = new Map<TargetKind, ServerHandle>();
    try {
      const clients = new Map<TargetKind, { client: TargetClient; session: Credentials }>();
      for (const kind of KINDS) {
        const server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
        servers.set(kind, server);
        const client = targetClient(kind, server.url);
        await client.prepare();
        clients.set(kind, { client, session: await client.signIn() });
      }
      const results = new Map<string, Round[]>();
      const key = (kind: TargetKind, c: number): string => `${kind}@${c}`;
      for (const c of CONCURRENCY) {
        for (const kind of KINDS) {
          const { client, session } = clients.get(kind)!;
          // Warm-up at this concurrency: JIT, pools, buffers; not recorded.
          await round(servers.get(kind)!, client, Array<Credentials>(c).fill(session), ctx.quick ? 100 : windowMs / 2, 100_000);
          results.set(key(kind, c), []);
        }
        for (let r = 0; r < rounds; r += 1) {
          for (const kind of rotation(KINDS, r)) {
            const { client, session } = clients.get(kind)!;
            results.get(key(kind, c))!.push(await round(servers.get(kind)!, client, Array<Credentials>(c).fill(session), windowMs, 100_000));
          }
        }
        ctx.log(`tab-handshake ×${c}: ${KINDS.map((k) => `${k} ${results.get(key(k, c))!.map((x) => x.rate.toFixed(0)).join('/')}/s`).join(', ')}`);
      }
      const per = (c: number, f: (rs: Round[]) => Figure['values'][TargetKind]): Figure['values'] => Object.fromEntries(KINDS.map((k) => [k, f(results.get(key(k, c))!)]));
      const figures: Figure[] = [];
      for (const c of CONCURRENCY) {
        const what = c === 1 ? 'one at a time' : `${c} at a time (${c} tabs of one session)`;
        const rate = per(c, (rs) => fromRounds(rs.map((x) => x.rate)));
        const cpu = per(c, (rs) => fromRounds(rs.map((x) => x.cpuUsPerHandshake)));
        const rateRatio = ratioOf(rate, 'plain');
        const cpuRatio = ratioOf(cpu, 'plain');
        const growthOnly = c > 20;
        figures.push(
          figure(`tabHandshake.rate.${c}`, `handshakes/s, ${what}`, '/s', rate, 'plain', {
            better: 'higher',
            ...(!growthOnly && rateRatio ? { target: { text: '≥ 0.9× plain', met: rateRatio.value >= 0.9 } } : {}),
          }),
          figure(`tabHandshake.cpu.${c}`, `server CPU per connect+disconnect, ${c} at a time`, 'µs', cpu, 'plain', c === 20 && cpuRatio ? { target: { text: '≤ 1.25× plain', met: cpuRatio.value <= 1.25 } } : {}),
        );
        if (c === 20) figures.push(figure(`tabHandshake.p99.${c}`, `open latency p99, ${c} at a time`, 'ms', per(c, (rs) => fromLatency(latencyFigure(rs.map((x) => x.latenciesMs)), 'p99')), 'plain'));
      }
      const series = (f: (rs: Round[]) => number): GrowthSeries['series'] => Object.fromEntries(KINDS.map((k) => [k, CONCURRENCY.map((c) => f(results.get(key(k, c))!))]));
      const growth: GrowthSeries[] = [
        { id: 'handshakeRate', title: 'Handshake rate, tabs of one session', xLabel: 'handshakes in flight (tabs of one session)', unit: 'handshakes/s', x: [...CONCURRENCY], series: series((rs) => fromRounds(rs.map((x) => x.rate)).value) },
      ];
      return {
        figures,
        growth,
        notes: [
          `c concurrent open+close loops on ONE signed-in session (its tabs; plain Socket.IO: no session) for ${rounds} rounds of ${windowMs} ms after a warm-up at each c; CPU is the server process's user+system time over the round, read after the server has seen every close.`,
        ],
        detail: Object.fromEntries([...results].map(([k, rs]) => [k, { rates: rs.map((x) => x.rate), cpuUs: rs.map((x) => x.cpuUsPerHandshake), openMs: latencyFigure(rs.map((x) => x.latenciesMs)).pooled }])),
      };
    } finally {
      await closeAll(servers.values());
    }
  },
};
