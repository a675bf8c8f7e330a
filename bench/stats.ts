// Summaries of samples: percentiles within a round, and the spread of a figure across rounds.

/** The q-quantile (0..1) of already sorted numbers, by the nearest-rank method; NaN when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface Distribution {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * @example summarize([3, 1, 2]) // { n: 3, p50: 2, p99: 3, max: 3, mean: 2 }
 */
export function summarize(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: quantileSorted(sorted, 0.5), p99: quantileSorted(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, mean };
}

/** One figure measured once per round: its median across rounds and how far the rounds spread. */
export interface AcrossRounds {
  median: number;
  min: number;
  max: number;
  /** (max − min) / 2 / median: ±this fraction around the median covers every round. */
  spread: number;
  rounds: number[];
}

/** The median proper: the mean of the middle two of an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function acrossRounds(perRound: readonly number[]): AcrossRounds {
  const finite = perRound.filter((x) => Number.isFinite(x));
  const sorted = [...finite].sort((a, b) => a - b);
  const median_ = median(sorted);
  const min = sorted[0] ?? Number.NaN;
  const max = sorted.at(-1) ?? Number.NaN;
  return { median: median_, min, max, spread: median_ > 0 ? (max - min) / 2 / median_ : Number.NaN, rounds: [...perRound] };
}

/** Latency samples of several rounds: pooled p50/p99 plus the per-round p50 and p99 and their spread. */
export interface LatencyFigure {
  pooled: Distribution;
  p50: AcrossRounds;
  p99: AcrossRounds;
}

export function latencyFigure(rounds: readonly (readonly number[])[]): LatencyFigure {
  const per = rounds.filter((r) => r.length > 0).map((r) => summarize(r));
  return {
    pooled: summarize(rounds.flat()),
    p50: acrossRounds(per.map((d) => d.p50)),
    p99: acrossRounds(per.map((d) => d.p99)),
  };
}
