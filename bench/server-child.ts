// A server under test in its own process: started from a spec in argv, measured over IPC, so that
// its CPU and heap are its own and not the load generator's.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';
import { isParentMessage, type ChildMessage, type LoopDelay, type Ops, type ParentMessage, type ChildSpec, type ServerUsage } from './protocol.js';
import type { RunningServer } from './baselines/running.js';

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

// Imported on demand: a baseline child loads nothing of the product.
async function start(spec: ChildSpec): Promise<RunningServer> {
  switch (spec.kind) {
    case 'plain':
      return (await import('./baselines/plain.js')).startPlain(spec.port);
    case 'recipe':
      return (await import('./baselines/recipe.js')).startRecipe(spec.port);
    case 'tether':
      return (await import('./baselines/tether.js')).startTether(spec.modules, spec.env, spec.port);
  }
}

function usage(server: RunningServer): ServerUsage {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const tcp = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  return { cpuUs: cpu.user + cpu.system, heapUsed: mem.heapUsed, rss: mem.rss, external: mem.external, arrayBuffers: mem.arrayBuffers, sockets: server.socketCount(), tcp };
}

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the server child needs --expose-gc');
  // Several passes with turns of the loop between them, so weak callbacks and finalizers run too.
  for (let i = 0; i < 4; i += 1) {
    gc();
    await tick();
  }
}

// monitorEventLoopDelay records the whole interval between its timer's runs: the delay is what
// exceeds the resolution.
const delayOf = (resolutionMs: number, ns: number): number => Math.max(0, ns / 1e6 - resolutionMs);

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
  let server: RunningServer;
  try {
    server = await start(spec);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  let histogram: { h: IntervalHistogram; resolutionMs: number } | undefined;

  const handle = async (message: ParentMessage): Promise<Ops[ParentMessage['op']]['reply']> => {
    switch (message.op) {
      case 'usage':
        return usage(server);
      case 'heap':
        await collectGarbage();
        return usage(server);
      case 'eldStart': {
        histogram?.h.disable();
        const h = monitorEventLoopDelay({ resolution: message.args.resolutionMs });
        h.enable();
        histogram = { h, resolutionMs: message.args.resolutionMs };
        return {};
      }
      case 'eldStop': {
        if (!histogram) throw new Error('eldStart first');
        const { h, resolutionMs } = histogram;
        h.disable();
        histogram = undefined;
        const result: LoopDelay = {
          p50Ms: delayOf(resolutionMs, h.percentile(50)),
          p99Ms: delayOf(resolutionMs, h.percentile(99)),
          maxMs: delayOf(resolutionMs, h.max),
          meanMs: delayOf(resolutionMs, h.mean),
        };
        return result;
      }
      case 'snapshot':
        await collectGarbage();
        return { path: writeHeapSnapshot(message.args.path) };
      case 'close':
        // Best effort: a server that waits on lingering connections is not worth a wait here. The
        // exit writes a CPU profile when one was asked for.
        await Promise.race([server.close(), new Promise((resolve) => setTimeout(resolve, 500))]);
        setTimeout(() => process.exit(0), 20);
        return {};
    }
  };

  process.on('message', (raw: unknown) => {
    if (!isParentMessage(raw)) return;
    handle(raw).then(
      (value) => send({ type: 'reply', id: raw.id, value }),
      (error: unknown) => send({ type: 'error', id: raw.id, message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The bench owns this process: if it goes away, so do we.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: server.port });
}

void main();
