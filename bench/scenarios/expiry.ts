// Expiry precision: many sessions with deadlines spread over a few seconds; how late after its
// deadline each `session:ended` arrives, and the server's event-loop delay meanwhile.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { TOUCH_EVENT, emitWithAck, openTab, sleep, targetClient, times } from '../client.js';
import { closeAll, spawnServer, type ServerHandle } from '../servers.js';
import { figure, type BenchContext, type Figure, type Measured, type Scenario } from '../scenario.js';
import { summarize } from '../stats.js';

interface Tracked {
  socket: Socket;
  deadline: number;
  endedAt?: number;
  reason?: string;
}

const single = (value: number): Measured => ({ value, spread: Number.NaN, rounds: [value] });

/** Sessions per second a tether child can sign in and open a tab for, measured on a throwaway server. */
async function calibrate(count: number): Promise<number> {
  const server = await spawnServer({ kind: 'tether' });
  try {
    const client = targetClient('tether', server.url);
    // Warm-up: a cold server signs in at a fraction of its later speed, which would make the idle
    // timeout (and the wait for the first deadline) needlessly long.
    await times(Math.min(300, count), 16, async () => (await openTab(server.url, await client.signIn())).disconnect());
    const t0 = performance.now();
    const sockets = await times(count, 16, async () => openTab(server.url, await client.signIn()));
    const rate = count / ((performance.now() - t0) / 1000);
    for (const s of sockets) s.disconnect();
    return rate;
  } finally {
    await closeAll([server]);
  }
}

export const expiryScenario: Scenario = {
  name: 'expiry',
  title: 'Expiry precision (pushed session:ended after the idle deadline)',
  async run(ctx: BenchContext) {
    const sessions = Math.min(ctx.quick ? 100 : 10_000, ctx.fdLimit - 2000);
    // The idle timeout outlasts the whole setup, so every deadline falls after it: expiries are
    // measured on a quiet server, spread over as long as the setup took. The quick run skips the
    // calibration: 100 sessions take well under its 2.5 s.
    const idleMs = ctx.quick ? 2500 : Math.ceil((sessions / (await calibrate(600))) * 1000 * 1.2 + 2000);
    ctx.log(`expiry: idle timeout ${idleMs} ms for ${sessions} sessions`);
    let server: ServerHandle | undefined;
    const tracked: Tracked[] = [];
    try {
      server = await spawnServer({ kind: 'tether', env: { SESSION_IDLE_TIMEOUT_MS: String(idleMs) } }, ctx.cpuProfDir ? { cpuProfDir: ctx.cpuProfDir } : {});
      const url = server.url;
      const client = targetClient('tether', url);
      const setupStart = Date.now();
      let refused = 0;
      await times(sessions, 16, async () => {
        let socket: Socket | undefined;
        try {
          socket = await openTab(url, await client.signIn());
          // The ack carries the deadline this touch set: the one the server will enforce.
          const ack = (await emitWithAck(socket, TOUCH_EVENT)) as { ok: boolean; idleExpiresAt?: number; absoluteExpiresAt?: number };
          if (!ack.ok || ack.idleExpiresAt === undefined || ack.absoluteExpiresAt === undefined) throw new Error('touch refused');
          const entry: Tracked = { socket, deadline: Math.min(ack.idleExpiresAt, ack.absoluteExpiresAt) };
          socket.once('session:ended', (payload: { reason?: string }) => {
            entry.endedAt = Date.now();
            entry.reason = payload.reason ?? '';
          });
          tracked.push(entry);
        } catch {
          refused += 1;
          socket?.disconnect();
        }
      });
      const setupEnd = Date.now();
      const first = Math.min(...tracked.map((t) => t.deadline));
      const last = Math.max(...tracked.map((t) => t.deadline));
      const overlapped = tracked.filter((t) => t.deadline <= setupEnd).length;
      ctx.log(`expiry: ${tracked.length} sessions in ${((setupEnd - setupStart) / 1000).toFixed(1)} s; deadlines over ${((last - first) / 1000).toFixed(1)} s, first in ${((first - setupEnd) / 1000).toFixed(1)} s`);
      const clientDelay = monitorEventLoopDelay({ resolution: 10 });
      await server.call('eldStart', { resolutionMs: 10 });
      clientDelay.enable();
      // Bounded: until every tab heard its end, or 5 s past the last deadline.
      const giveUpAt = last + 5000;
      while (Date.now() < giveUpAt && tracked.some((t) => t.endedAt === undefined)) await sleep(100);
      clientDelay.disable();
      const loop = await server.call('eldStop', {});
      const lateness = tracked.filter((t) => t.endedAt !== undefined).map((t) => t.endedAt! - t.deadline);
      const missing = tracked.filter((t) => t.endedAt === undefined).length;
      const wrongReason = tracked.filter((t) => t.reason !== undefined && t.reason !== 'expired').length;
      const d = summarize(lateness);
      const figures: Figure[] = [
        figure('expiry.p50', `lateness p50, ${tracked.length.toLocaleString('en-US')} sessions`, 'ms', { tether: single(d.p50) }),
        figure('expiry.p99', 'lateness p99', 'ms', { tether: single(missing ? Infinity : d.p99) }, undefined, { target: { text: '< 1000 ms', met: missing === 0 && d.p99 < 1000 } }),
        figure('expiry.max', 'lateness max', 'ms', { tether: single(missing ? Infinity : d.max) }),
        figure('expiry.eld.p99', 'server event-loop delay p99 meanwhile', 'ms', { tether: single(loop.p99Ms) }),
        figure('expiry.eld.max', 'server event-loop delay max meanwhile', 'ms', { tether: single(loop.maxMs) }),
      ];
      return {
        figures,
        notes: [
          `Idle timeout ${idleMs} ms (longer than the setup), ${tracked.length} sessions × 1 tab, deadlines over ${((last - first) / 1000).toFixed(1)} s. Lateness = arrival of session:ended at the client − the deadline from the touch ack (same machine clock).`,
          'No baseline: the recipe has no pushed expiry (the docs reload the session every 30 s per socket, so a tab learns of expiry up to 30 s late, and only by a disconnect).',
          ...(missing ? [`${missing} tabs never got session:ended within 5 s of the last deadline.`] : []),
          ...(wrongReason ? [`${wrongReason} tabs got another reason than expired.`] : []),
          ...(refused ? [`${refused} sessions could not be set up.`] : []),
          ...(overlapped ? [`${overlapped} deadlines fell before the setup ended.`] : []),
        ],
        detail: { latenessMs: d, serverLoopDelayMs: loop, clientLoopDelayP99Ms: Math.max(0, clientDelay.percentile(99) / 1e6 - 10), idleMs, setupMs: setupEnd - setupStart, deadlineSpreadMs: last - first, missing, wrongReason },
      };
    } finally {
      for (const t of tracked) t.socket.disconnect();
      await closeAll([server]);
    }
  },
};
