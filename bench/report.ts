// The table on stdout and the JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Runtime } from './launch.js';
import type { Machine } from './machine.js';
import type { Figure, Measured, ScenarioResult } from './scenario.js';
import { TARGET_LABELS, type TargetKind } from './protocol.js';

export interface BenchReport {
  startedAt: string;
  mode: 'quick' | 'full';
  command: string;
  /** How tether was loaded in every scenario but startup (which measures each runtime). */
  runtime?: Runtime;
  machine: Machine;
  durationMs: number;
  scenarios: ScenarioResult[];
}

const COLUMNS: readonly TargetKind[] = ['tether', 'plain', 'recipe'];

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return x === Infinity ? '∞' : '—';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 10_000) return String(x);
  if (a >= 10_000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toFixed(3);
}

function cell(m: Measured | undefined, unit: string): string {
  if (!m) return '';
  const spread = Number.isFinite(m.spread) && m.rounds.length > 1 ? ` ±${Math.round(m.spread * 100)}%` : '';
  return `${formatNumber(m.value)} ${unit}${spread}`;
}

function ratioCell(f: Figure): string {
  return f.ratio ? `${f.ratio.value.toFixed(2)}× ${f.ratio.baseline}` : '';
}

function targetCell(f: Figure): string {
  return f.target ? `${f.target.met ? 'met' : 'MISSED'} (${f.target.text})` : '';
}

/** Rows of cells for a Markdown-style table; the same text goes to stdout and the README. */
export function tableRows(scenarios: readonly ScenarioResult[]): string[][] {
  const rows: string[][] = [['scenario', 'figure', ...COLUMNS.map((k) => TARGET_LABELS[k]), 'ratio', 'target']];
  for (const s of scenarios) {
    if (s.skipped || s.error) {
      rows.push([s.name, s.skipped ? `skipped: ${s.skipped}` : `error: ${s.error}`, '', '', '', '', '']);
      continue;
    }
    for (const f of s.figures) rows.push([s.name, f.label, ...COLUMNS.map((k) => cell(f.values[k], f.unit)), ratioCell(f), targetCell(f)]);
  }
  return rows;
}

export function formatTable(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const load = `load avg ${m.loadAverage.start.toFixed(2)}${m.loadAverage.end === undefined ? '' : ` → ${m.loadAverage.end.toFixed(2)}`}`;
  const header = `tether bench (${report.mode}${report.runtime ? `, tether ${report.runtime}` : ''}) ${report.startedAt} — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, ${load}; ${(report.durationMs / 1000).toFixed(0)} s`;
  const notes = report.scenarios.flatMap((s) => s.notes.map((n) => `- ${s.name}: ${n}`));
  return [header, '', formatTable(tableRows(report.scenarios)), '', 'Values: median across rounds (latencies: pooled quantile); ±: half the range of the per-round values, relative.', ...notes].join('\n');
}

export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
