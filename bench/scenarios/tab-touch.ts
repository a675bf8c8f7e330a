// `session:touch` over sessions of many tabs (10 sessions × 20 tabs): a touch moves the deadline
// every other tab of its session is shown, so its cost can fan out; against the plain ack.
import type { Socket } from 'socket.io-client';
import { signInWithTabs, targetClient } from '../client.js';
import type { TargetKind } from '../protocol.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, fromLatency, fromRounds, rotation, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { latencyFigure } from '../stats.js';
import { round, RUNS } from './touch.js';

const SESSIONS = 10;
const TABS = 20;

/** Interleaves the tabs (s0t0, s1t0, … s0t1, …) so consecutive touches hit different sessions. */
function interleave(sessions: readonly (readonly Socket[])[]): Socket[] {
  const out: Socket[] = [];
  for (let t = 0; t < TABS; t += 1) for (const tabs of sessions) if (tabs[t]) out.push(tabs[t]!);
  return out;
}

export const tabTouchScenario: Scenario = {
  name: 'tab-touch',
  title: `session:touch over ${SESSIONS} sessions × ${TABS} tabs vs a plain Socket.IO ack`,
  async run(ctx: BenchContext) {
    const rounds = ctx.quick ? 2 : 7;
    const perRound = ctx.quick ? 300 : 3000;
    const servers = new Map<TargetKind, ServerHandle>();
    const sockets = new Map<TargetKind, Socket[]>();
    try {
      for (const { kind } of RUNS) {
        const server = await spawnServer({ kind }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
        servers.set(kind, server);
        const client = targetClient(kind, server.url);
        await client.prepare();
        // Plain Socket.IO has no sessions: the same 200 sockets, without anything shared between them.
        sockets.set(kind, interleave((await signInWithTabs(client, SESSIONS, TABS, 4)).map((s) => s.tabs)));
      }
      const samples = new Map<string, number[][]>(RUNS.map((r) => [r.key, []]));
      const cpuUsPerTouch = new Map<string, number[]>(RUNS.map((r) => [r.key, []]));
      let refused = 0;
      for (const run of RUNS) await round(sockets.get(run.kind)!, run.event, Math.min(perRound, 300)); // warm-up
      for (let r = 0; r < rounds; r += 1) {
        for (const run of rotation(RUNS, r)) {
          const server = servers.get(run.kind)!;
          const before = await server.usage();
          const result = await round(sockets.get(run.kind)!, run.event, perRound);
          const after = await server.usage();
          samples.get(run.key)!.push(result.rttUs);
          cpuUsPerTouch.get(run.key)!.push((after.cpuUs - before.cpuUs) / perRound);
          refused += result.refused;
        }
      }
      const latency = Object.fromEntries(RUNS.map((r) => [r.key, latencyFigure(samples.get(r.key)!)]));
      const values = (q: 'p50' | 'p99'): Figure['values'] => Object.fromEntries(RUNS.map((r) => [r.kind, fromLatency(latency[r.key]!, q)]));
      const p50 = values('p50');
      const p99 = values('p99');
      const over = (p50.tether?.value ?? Number.NaN) - (p50.plain?.value ?? Number.NaN);
      const overhead: Measured = { value: over, spread: Number.NaN, rounds: [] };
      const figures: Figure[] = [
        figure('tabTouch.p50', `touch ack p50, ${SESSIONS} sessions × ${TABS} tabs`, 'µs', p50, 'plain', { target: { text: '≤ plain ack + 20 µs', met: over <= 20 } }),
        figure('tabTouch.p99', `touch ack p99, ${SESSIONS} sessions × ${TABS} tabs`, 'µs', p99, 'plain'),
        figure('tabTouch.overhead', 'touch − plain ack, p50', 'µs', { tether: overhead }),
        figure('tabTouch.cpu', 'server CPU per touch (plain: per ack)', 'µs', Object.fromEntries(RUNS.map((r) => [r.kind, fromRounds(cpuUsPerTouch.get(r.key)!)])), 'plain'),
      ];
      return {
        figures,
        notes: [
          `Sequential emits with ack, round robin over ${SESSIONS * TABS} sockets (${SESSIONS} sessions × ${TABS} tabs, consecutive touches on different sessions), ${perRound} per round, ${rounds} rounds. Whatever a touch sends the session's other tabs reaches this same client process and is decoded there, as it would be by the browser's tabs.`,
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
