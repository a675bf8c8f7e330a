// What a scenario is given and what it gives back: figures per server, ratios, targets.
import type { AcrossRounds, LatencyFigure } from './stats.js';
import { acrossRounds } from './stats.js';
import type { TargetKind } from './protocol.js';
import type { GrowthSeries } from './growth.js';

export interface BenchContext {
  quick: boolean;
  /** Progress lines (stderr), so stdout stays the table. */
  log(line: string): void;
  /** Where server CPU profiles go when `--cpu-prof` is given. */
  cpuProfDir?: string;
  redisUrl: string;
  /** Open file descriptors this process may hold (`ulimit -n`); socket counts stay below it. */
  fdLimit: number;
}

/** One number per server: the headline value, the per-round values behind it, and their spread. */
export interface Measured {
  value: number;
  /** ± fraction of the value that covers every round's figure. */
  spread: number;
  rounds: number[];
}

export interface Target {
  text: string;
  met: boolean;
}

export interface Figure {
  id: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  values: Partial<Record<TargetKind, Measured>>;
  /** tether ÷ baseline (a server, or another figure such as "local"). */
  ratio?: { baseline: string; value: number };
  target?: Target;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  figures: Figure[];
  notes: string[];
  /** Set when the scenario could not run here (e.g. Redis mode unavailable). */
  skipped?: string;
  error?: string;
  durationMs: number;
  /** Anything else worth keeping in the JSON (per-step series, counts). */
  detail?: Record<string, unknown>;
  /** Curves for the growth chart (cost against tabs, concurrency, sockets). */
  growth?: GrowthSeries[];
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<ScenarioResult, 'name' | 'title' | 'durationMs'>>;
}

/** A per-round figure (a rate, a per-handshake cost): median across rounds. */
export function fromRounds(perRound: readonly number[]): Measured {
  const a: AcrossRounds = acrossRounds(perRound);
  return { value: a.median, spread: a.spread, rounds: a.rounds };
}

/** A latency quantile: pooled over all rounds, spread from each round's own quantile. */
export function fromLatency(f: LatencyFigure, q: 'p50' | 'p99'): Measured {
  return { value: f.pooled[q], spread: f[q].spread, rounds: f[q].rounds };
}

/** tether ÷ baseline, when both were measured. */
export function ratioOf(values: Figure['values'], baseline: TargetKind): Figure['ratio'] {
  const t = values.tether?.value;
  const b = values[baseline]?.value;
  return t !== undefined && b !== undefined && b !== 0 && Number.isFinite(t) && Number.isFinite(b) ? { baseline, value: t / b } : undefined;
}

/** The order servers take in round `round`: rotated, so no server always runs first or last. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function withRatio(values: Figure['values'], baseline: TargetKind): Pick<Figure, 'ratio'> {
  const ratio = ratioOf(values, baseline);
  return ratio ? { ratio } : {};
}

/** A lower-is-better figure with its ratio to `baseline`. */
export function figure(id: string, label: string, unit: string, values: Figure['values'], baseline?: TargetKind, extra: Partial<Figure> = {}): Figure {
  return { id, label, unit, better: 'lower', values, ...(baseline ? withRatio(values, baseline) : {}), ...extra };
}
