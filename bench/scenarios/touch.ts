// Round trip of `session:touch` (moves the idle deadline in the store) against a plain Socket.IO ack.
import type { Socket } from 'socket.io-client';
import { ACK_EVENT, TOUCH_EVENT, emitWithAck, signInWithTabs, targetClient } from '../client.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, fromLatency, rotation, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { latencyFigure } from '../stats.js';

/** What is timed on each server: tether's touch, the plain ack, and the recipe's reload+save touch. */
export const RUNS: ReadonlyArray<{ key: string; kind: TargetKind; event: string }> = [
  { key: 'plain', kind: 'plain', event: ACK_EVENT },
  { key: 'recipe', kind: 'recipe', event: TOUCH_EVENT },
  { key: 'tether', kind: 'tether', event: TOUCH_EVENT },
];

export function isOkAck(ack: unknown): boolean {
  return typeof ack === 'object' && ack !== null && (ack as { ok?: unknown }).ok === true;
}

/** Sequential acks, one socket after another, round robin over `sockets`. */
export async function round(sockets: readonly Socket[], event: string, count: number): Promise<{ rttUs: number[]; refused: number }> {
  const rttUs: number[] = [];
  let refused = 0;
  for (let i = 0; i < count; i += 1) {
    const socket = sockets[i % sockets.length]!;
    const t0 = performance.now();
    const ack = await emitWithAck(socket, event);
    const t1 = performance.now();
    if (isOkAck(ack)) rttUs.push((t1 - t0) * 1000);
    else refused += 1;
  }
  return { rttUs, refused };
}

export const touchScenario: Scenario = {
  name: 'touch',
  title: 'session:touch round trip vs a plain Socket.IO ack',
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 3 : 7;
    const perRound = ctx.quick ? 400 : 3000;
    const sessions = ctx.quick ? 20 : 100;
    const servers = new Map<TargetKind, ServerHandle>();
    const sockets = new Map<TargetKind, Socket[]>();
    try {
      for (const { kind } of RUNS) {
        const server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
        servers.set(kind, server);
        const client = targetClient(kind, server.url);
        await client.prepare();
        sockets.set(kind, (await signInWithTabs(client, sessions, 1)).flatMap((s) => s.tabs));
      }
      const samples = new Map<string, number[][]>(RUNS.map((r) => [r.key, []]));
      let refused = 0;
      for (const run of RUNS) await round(sockets.get(run.kind)!, run.event, Math.min(perRound, 500)); // warm-up
      for (let r = 0; r < rounds; r += 1) {
        for (const run of rotation(RUNS, r)) {
          const result = await round(sockets.get(run.kind)!, run.event, perRound);
          samples.get(run.key)!.push(result.rttUs);
          refused += result.refused;
        }
      }
      const latency = Object.fromEntries(RUNS.map((r) => [r.key, latencyFigure(samples.get(r.key)!)]));
      const values = (q: 'p50' | 'p99'): Figure['values'] => Object.fromEntries(RUNS.map((r) => [r.kind, fromLatency(latency[r.key]!, q)]));
      const p50 = values('p50');
      const p99 = values('p99');
      const overhead = (p: Figure['values']): number => (p.tether?.value ?? Number.NaN) - (p.plain?.value ?? Number.NaN);
      const over: Measured = { value: overhead(p50), spread: Number.NaN, rounds: [] };
      const figures: Figure[] = [
        figure('touch.p50', 'round trip p50', 'µs', p50, 'plain', { target: { text: '≤ plain ack + 20 µs', met: overhead(p50) <= 20 } }),
        figure('touch.p99', 'round trip p99', 'µs', p99, 'plain'),
        figure('touch.overhead', 'touch − plain ack, p50', 'µs', { tether: over }, undefined, { note: 'tether p50 minus plain p50' }),
      ];
      return {
        figures,
        notes: [
          `Sequential emits with ack over ${sessions} sockets (one session each), ${perRound} per round, ${rounds} rounds. tether: session:touch (store read + write, deadline timer, push); plain: an ack handler that answers at once; recipe: the docs' reload → touch → save.`,
          ...(refused ? [`${refused} acks were refused (rate limit?) and left out.`] : []),
        ],
        detail: { pooledUs: Object.fromEntries(RUNS.map((r) => [r.key, latency[r.key]!.pooled])), refused },
      };
    } finally {
      for (const list of sockets.values()) for (const s of list) s.disconnect();
      await closeAll(servers.values());
    }
  },
};
