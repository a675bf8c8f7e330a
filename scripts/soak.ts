// Soak: thousands of sessions sign in, open a tab, touch, sign out, for minutes; then checks that
// heap, sockets, rooms, timers, registry, store and tombstones return to their baseline.
//
//   npm run soak                                   # 10,000 sessions spread over 10 minutes
//   npm run soak -- --minutes 1 --sessions 1000    # a shorter run
//   npm run soak -- --minutes 1 --unpaced          # as many sessions as the workers manage, cycling over the accounts
//
// The server runs in a child process (so the load generator's own memory is not measured) with
// --expose-gc; the parent drives it over real HTTP and WebSockets with the test kit's TestBrowser.
import { fork, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { FromChild, ServerStats } from './soak-server.js';

const MAX_MINUTES = 10;
const round = (n: number): number => Math.round(n * 10) / 10;
const USAGE = 'usage: npm run soak -- [--minutes 0.05..10] [--sessions N] [--unpaced] [--concurrency N] [--touches N] [--abandon 0..1] [--idle-ms N] [--absolute-ms N]';

// ---------------------------------------------------------------------------------------------
// The load generator (parent).
// ---------------------------------------------------------------------------------------------

interface Options {
  minutes: number;
  sessions: number;
  concurrency: number;
  touches: number;
  abandon: number;
  /** Start the sessions evenly over the minutes (the default), or as fast as the workers go. */
  unpaced: boolean;
  idleMs: number;
  absoluteMs: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: String(MAX_MINUTES) },
      sessions: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '25' },
      touches: { type: 'string', default: '3' },
      abandon: { type: 'string', default: '0.05' },
      'idle-ms': { type: 'string', default: '30000' },
      'absolute-ms': { type: 'string', default: '60000' },
      unpaced: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const num = (name: string, raw: string | undefined, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      process.stderr.write(`soak: --${name} ${raw} is out of range ${min}..${max}\n${USAGE}\n`);
      process.exit(2);
    }
    return n;
  };
  return {
    minutes: num('minutes', values.minutes, 0.05, MAX_MINUTES),
    sessions: Math.floor(num('sessions', values.sessions, 1, 100_000)),
    concurrency: Math.floor(num('concurrency', values.concurrency, 1, 500)),
    touches: Math.floor(num('touches', values.touches, 0, 100)),
    abandon: num('abandon', values.abandon, 0, 1),
    unpaced: values.unpaced ?? false,
    idleMs: Math.floor(num('idle-ms', values['idle-ms'], 1000, 3_600_000)),
    absoluteMs: Math.floor(num('absolute-ms', values['absolute-ms'], 1000, 3_600_000)),
  };
}

/** The child, with request/response over IPC. */
class ServerChild {
  readonly #child: ChildProcess;
  readonly #waiting: Array<(m: FromChild) => void> = [];
  constructor(env: Record<string, string>) {
    this.#child = fork(fileURLToPath(new URL('./soak-server.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (m: FromChild) => this.#waiting.shift()?.(m));
    this.#child.on('exit', (code) => {
      if (code !== 0 && code !== null) {
        process.stderr.write(`soak: server exited with ${code}\n`);
        process.exit(1);
      }
    });
  }
  next(): Promise<FromChild> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
  async stats(): Promise<ServerStats> {
    const reply = this.next();
    this.#child.send({ type: 'stats' });
    const m = await reply;
    if (m.type !== 'stats') throw new Error('expected stats');
    return m.stats;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve());
      this.#child.send({ type: 'stop' });
    });
  }
}

const PASSWORD = 'soak password 1234';

interface Tally {
  cycles: number;
  abandoned: number;
  errors: Record<string, number>;
  latencies: { login: number[]; handshake: number[]; touch: number[]; logoutToEnded: number[] };
}

async function main(): Promise<void> {
  const options = readOptions();
  const { TestBrowser } = await import('../server/testing/test-browser.js');
  const env = {
    SESSION_IDLE_TIMEOUT_MS: String(options.idleMs),
    SESSION_ABSOLUTE_TIMEOUT_MS: String(options.absoluteMs),
    // Every soak client is 127.0.0.1: the per-address limits would refuse the load itself.
    REGISTRATIONS_PER_IP: '1000000',
    LOGIN_FAILURES_PER_IP: '1000000',
    HANDSHAKES_PER_IP_PER_SECOND: '1000000',
    HANDSHAKE_BURST_PER_IP: '1000000',
  };
  const server = new ServerChild(env);
  const ready = await server.next();
  if (ready.type !== 'ready') throw new Error('expected ready');
  const url = `http://127.0.0.1:${ready.port}`;
  const log = (line: string): void => void process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  log(`server on ${url}; ${JSON.stringify(options)}`);

  const names = Array.from({ length: options.sessions }, (_, i) => `soak_${i}`);
  const newTally = (): Tally => ({ cycles: 0, abandoned: 0, errors: {}, latencies: { login: [], handshake: [], touch: [], logoutToEnded: [] } });
  const setup = newTally();
  let tally = setup;
  const fail = (what: string, error: unknown): void => {
    const key = `${what}: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`;
    tally.errors[key] = (tally.errors[key] ?? 0) + 1;
  };

  /** One session's life: sign in, open a tab, touch, sign out (or walk away), every step checked. */
  const cycle = async (name: string, abandon: boolean, record: boolean): Promise<void> => {
    const b = new TestBrowser(url, 'tether-soak/1.0');
    let t = performance.now();
    const login = await b.login(name, PASSWORD);
    if (login.status !== 200) return fail('login', `status ${login.status}`);
    if (record) tally.latencies.login.push(performance.now() - t);
    t = performance.now();
    const tab = await b.openTab({ timeoutMs: 10_000 }).catch((e: unknown) => void fail('handshake', e));
    if (!tab) return;
    if (record) tally.latencies.handshake.push(performance.now() - t);
    try {
      for (let i = 0; i < options.touches; i++) {
        t = performance.now();
        const ack = await tab.touch(10_000);
        if (!ack.ok) return fail('touch', ack.error.code);
        if (record) tally.latencies.touch.push(performance.now() - t);
      }
      if (abandon) {
        // The user closes the browser: the session is left for the idle deadline to end.
        tally.abandoned += 1;
        return;
      }
      t = performance.now();
      const ended = tab.ended(10_000);
      const out = await b.logout();
      if (out.status !== 204) return fail('logout', `status ${out.status}`);
      if ((await ended) !== 'logout') return fail('logout', 'wrong reason');
      if (record) tally.latencies.logoutToEnded.push(performance.now() - t);
      tally.cycles += 1;
    } catch (error) {
      fail('cycle', error);
    } finally {
      tab.close();
    }
  };

  /**
   * Runs `count` cycles over the accounts with `concurrency` workers, stopping at `until`; with a
   * rate, cycle i starts no earlier than i / rate seconds in.
   */
  const drive = async (until: number, count: number, record: boolean, perSecond?: number): Promise<number> => {
    let next = 0;
    let abandonCarry = 0;
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (performance.now() < until && next < count) {
        const i = next++;
        if (perSecond) {
          const wait = t0 + (i / perSecond) * 1000 - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (performance.now() >= until) {
            next -= 1;
            return;
          }
        }
        abandonCarry += options.abandon;
        const abandon = abandonCarry >= 1;
        if (abandon) abandonCarry -= 1;
        await cycle(names[i % names.length]!, abandon, record).catch((e: unknown) => fail('cycle', e));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return next;
  };

  // 1. Accounts.
  log(`registering ${names.length} accounts`);
  let registered = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (registered < names.length) {
        const name = names[registered++]!;
        const b = new TestBrowser(url);
        const res = await b.register(name, PASSWORD);
        if (res.status !== 201) fail('register', `status ${res.status}`);
        else await b.logout();
      }
    }),
  );

  // 2. Warm-up, then let everything it left drain: the baseline is a server that has already served.
  const drainMs = Math.max(options.idleMs, options.absoluteMs) + 65_000; // + memorystore's 60 s prune period
  const settle = async (label: string): Promise<ServerStats> => {
    log(`${label}: waiting ${Math.round(drainMs / 1000)} s for deadlines, tombstones and the store's prune period`);
    await new Promise((r) => setTimeout(r, drainMs));
    // Tombstones are pruned as new ones are added: one more sign-in and sign-out does that.
    await cycle(names[0]!, false, false);
    return server.stats();
  };
  log('warm-up');
  await drive(performance.now() + 60_000, Math.min(500, names.length), false);
  const baseline = await settle('baseline');
  log(`baseline ${JSON.stringify(baseline)}`);
  const abandonedBeforeBaseline = setup.abandoned;

  // 3. The soak.
  tally = newTally();
  const started = performance.now();
  const until = started + options.minutes * 60_000;
  const samples: Array<{ minute: number; stats: ServerStats }> = [];
  const sampler = setInterval(() => {
    void server.stats().then((s) => {
      samples.push({ minute: round((performance.now() - started) / 60_000), stats: s });
      log(`t+${round((performance.now() - started) / 60_000)} min: cycles ${tally.cycles}, heap ${s.heapUsedMb} MB, sockets ${s.sockets}, registry ${s.registry}, store ${s.storeEntries}, tombstones ${s.tombstones}`);
    });
  }, 30_000);
  const attempted = options.unpaced
    ? await drive(until, Number.MAX_SAFE_INTEGER, true)
    : await drive(until, options.sessions, true, options.sessions / (options.minutes * 60));
  clearInterval(sampler);
  const elapsedS = (performance.now() - started) / 1000;
  const atEnd = await server.stats();
  log(`load done: ${attempted} sessions in ${round(elapsedS)} s; at end ${JSON.stringify(atEnd)}`);

  // 4. Back to baseline?
  const soakTally = tally;
  tally = setup;
  const after = await settle('after');
  await server.stop();
  tally = soakTally;
  tally.errors = { ...soakTally.errors, ...Object.fromEntries(Object.entries(setup.errors).map(([k, v]) => [`setup ${k}`, v])) };

  const report = {
    command: `npm run soak -- ${process.argv.slice(2).join(' ')}`.trim(),
    options,
    node: process.version,
    sessions: attempted,
    completedCycles: tally.cycles,
    abandoned: tally.abandoned,
    abandonedBeforeBaseline,
    perSecond: round(attempted / elapsedS),
    errors: tally.errors,
    latencyMs: Object.fromEntries(Object.entries(tally.latencies).map(([k, xs]) => [k, percentiles(xs)])),
    baseline,
    peak: peakOf(samples.map((s) => s.stats).concat(atEnd)),
    atEnd,
    after,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const leaks = (['sockets', 'rooms', 'sessionsWithTimers', 'registry', 'storeEntries', 'activeTimeouts'] as const).filter((k) => after[k] > baseline[k]);
  const heapGrowthMb = round(after.heapUsedMb - baseline.heapUsedMb);
  log(`heap ${baseline.heapUsedMb} → ${after.heapUsedMb} MB (${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb}); counters above baseline: ${leaks.map((k) => `${k} +${after[k] - baseline[k]}`).join(', ') || 'none'}; sessions abandoned during the soak: ${tally.abandoned}; errors: ${Object.keys(tally.errors).length}`);
  process.exit(leaks.length || Object.keys(tally.errors).length ? 1 : 0);
}

function percentiles(xs: number[]): { p50: number; p99: number; max: number } | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1)!) };
}

function peakOf(all: ServerStats[]): Partial<ServerStats> {
  const keys = ['heapUsedMb', 'rssMb', 'sockets', 'rooms', 'sessionsWithTimers', 'tombstones', 'registry', 'storeEntries', 'activeTimeouts'] as const;
  return Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((s) => s[k]))]));
}

// A hard stop, whatever happens: the run is bounded by its minutes plus the drains.
const options = readOptions();
const limitMs = (options.minutes + 8) * 60_000 + 2 * (Math.max(options.idleMs, options.absoluteMs) + 65_000);
setTimeout(() => {
  process.stderr.write('soak: gave up after its time limit\n');
  process.exit(3);
}, limitMs).unref();
main().catch((error: unknown) => {
  process.stderr.write(`soak: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
