// How cost grows with the number of tabs, handshakes in flight and sockets: the series scenarios
// report, gathered into one JSON file with an SVG chart beside the run's result.
import { writeFileSync } from 'node:fs';
import type { TargetKind } from './protocol.js';
import { renderGrowthSvg } from './svg-chart.js';

/** One curve per server over the same x values (NaN where a server was not measured at a point). */
export interface GrowthSeries {
  id: string;
  title: string;
  xLabel: string;
  unit: string;
  x: number[];
  series: Partial<Record<TargetKind, number[]>>;
  /** Set when a point could not be reached here (e.g. the file-descriptor limit), with why. */
  note?: string;
}

export interface GrowthReport {
  startedAt: string;
  mode: 'quick' | 'full';
  command: string;
  machine: string;
  charts: GrowthSeries[];
}

/**
 * Writes `<base>.growth.json` and `<base>.growth.svg`; returns their paths.
 * @example writeGrowth('bench/results/2026-12-01T20-00-00-000Z-full', report)
 */
export function writeGrowth(base: string, report: GrowthReport): { json: string; svg: string } {
  const json = `${base}.growth.json`;
  const svg = `${base}.growth.svg`;
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(svg, renderGrowthSvg(report));
  return { json, svg };
}
