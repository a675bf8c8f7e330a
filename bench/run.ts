// The bench: tether against plain Socket.IO and the express-session recipe, in one run, as ratios.
// Usage: npm run bench [-- --quick] [--only=handshake,logout] [--cpu-prof] [--out=file.json]
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGrowth } from './growth.js';
import { defaultRuntime } from './launch.js';
import { describeMachine, finishMachine } from './machine.js';
import { formatReport, writeReport, type BenchReport } from './report.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';
import { SCENARIOS } from './scenarios/index.js';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

interface Args {
  quick: boolean;
  only: string[] | undefined;
  cpuProf: boolean;
  out: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: undefined, cpuProf: false, out: undefined };
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true;
    else if (arg === '--cpu-prof') args.cpuProf = true;
    else if (arg.startsWith('--only=')) args.only = arg.slice(7).split(',').filter(Boolean);
    else if (arg.startsWith('--out=')) args.out = arg.slice(6);
    else throw new Error(`unknown argument ${arg}; expected --quick, --only=a,b, --cpu-prof, --out=file.json`);
  }
  const unknown = args.only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return args;
}

/** `ulimit -n` of this process: every client socket is a descriptor. */
function fdLimit(): number {
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return out === 'unlimited' ? 1_000_000 : Number(out) || 1024;
  } catch {
    return 1024;
  }
}

/** Runs one scenario, turning a crash into a reported error rather than a lost run. */
export async function runScenario(scenario: Scenario, ctx: BenchContext): Promise<ScenarioResult> {
  const start = performance.now();
  try {
    const result = await scenario.run(ctx);
    return { name: scenario.name, title: scenario.title, ...result, durationMs: performance.now() - start };
  } catch (error) {
    return { name: scenario.name, title: scenario.title, figures: [], notes: [], error: error instanceof Error ? error.message : String(error), durationMs: performance.now() - start };
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const cpuProfDir = args.cpuProf ? join(RESULTS, `profiles-${stamp}`) : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  const t0 = performance.now();
  const ctx: BenchContext = {
    quick: args.quick,
    log: (line) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`),
    ...(cpuProfDir ? { cpuProfDir } : {}),
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    fdLimit: fdLimit(),
  };
  const machine = describeMachine();
  const scenarios = SCENARIOS.filter((s) => !args.only || args.only.includes(s.name));
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    ctx.log(`${scenario.name}: ${scenario.title}`);
    const result = await runScenario(scenario, ctx);
    ctx.log(`${scenario.name}: ${result.error ? `error: ${result.error}` : result.skipped ? `skipped: ${result.skipped}` : 'done'} in ${(result.durationMs / 1000).toFixed(1)} s`);
    results.push(result);
  }
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    mode: args.quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    runtime: defaultRuntime(),
    machine: finishMachine(machine),
    durationMs: performance.now() - t0,
    scenarios: results,
  };
  const out = args.out ?? join(RESULTS, `${stamp}-${report.mode}.json`);
  writeReport(out, report);
  const charts = results.flatMap((r) => r.growth ?? []);
  const growthReport = { startedAt: report.startedAt, mode: report.mode, command: report.command, machine: `${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load ${report.machine.loadAverage.start.toFixed(1)}`, charts };
  const growth = charts.length ? writeGrowth(out.replace(/\.json$/, ''), growthReport) : undefined;
  // A full run of every scenario also refreshes the copy bench/README.md links to (kept in git).
  if (charts.length && !args.quick && !args.only && !args.out) writeGrowth(join(RESULTS, 'latest-full'), growthReport);
  process.stdout.write(formatReport(report) + '\n\n');
  process.stdout.write(`JSON: ${out}\n`);
  if (growth) process.stdout.write(`Growth: ${growth.json} and the chart ${growth.svg}\n`);
  if (cpuProfDir) process.stdout.write(`CPU profiles: ${cpuProfDir} (summarize with: npx tsx bench/profile-summary.ts <file>)\n`);
  // Sockets, keep-alive agents and timers of the client end with the run.
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
