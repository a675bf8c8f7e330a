// A small hand-written SVG line chart: one panel per growth series, one line per server.
import type { GrowthReport, GrowthSeries } from './growth.js';
import { TARGET_LABELS, type TargetKind } from './protocol.js';

const COLORS: Readonly<Record<TargetKind, string>> = { tether: '#c2410c', plain: '#1d4ed8', recipe: '#15803d' };
const KINDS: readonly TargetKind[] = ['tether', 'recipe', 'plain'];
const PANEL = { width: 380, height: 270, left: 62, right: 22, top: 34, bottom: 46 };

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatTick(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000) return `${Number((x / 1000).toPrecision(3))}k`;
  if (a >= 10 || Number.isInteger(x)) return String(Math.round(x * 10) / 10);
  return String(Number(x.toPrecision(2)));
}

/** A linear or logarithmic mapping of [min, max] to [from, to], with tick values. */
interface Axis {
  map(v: number): number;
  ticks: number[];
}

function axis(values: readonly number[], from: number, to: number, zeroBased: boolean): Axis {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (!finite.length) return { map: () => from, ticks: [] };
  if (hi / lo >= 30) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.ceil(Math.log10(hi));
    const span = Math.max(1, b - a);
    const ticks = Array.from({ length: span + 1 }, (_, i) => 10 ** (a + i));
    return { map: (v) => from + ((Math.log10(v) - a) / span) * (to - from), ticks };
  }
  const min = zeroBased ? 0 : lo;
  const step = niceStep((hi - min) / 4 || hi || 1);
  const top = Math.ceil(hi / step) * step;
  const bottom = zeroBased ? 0 : Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = bottom; t <= top + step / 2; t += step) ticks.push(t);
  return { map: (v) => from + ((v - bottom) / (top - bottom || 1)) * (to - from), ticks };
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function panel(s: GrowthSeries, dx: number): string {
  const { width, height, left, right, top, bottom } = PANEL;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = axis(s.x, dx + left, dx + left + plotW, false);
  const ys = KINDS.flatMap((k) => s.series[k] ?? []);
  const y = axis(ys, top + plotH, top, true);
  const out: string[] = [`<g><text x="${dx + left}" y="18" class="title">${escapeXml(s.title)}</text>`];
  for (const t of y.ticks) {
    const py = y.map(t).toFixed(1);
    out.push(`<line x1="${dx + left}" x2="${dx + left + plotW}" y1="${py}" y2="${py}" class="grid"/><text x="${dx + left - 6}" y="${py}" class="ytick">${formatTick(t)}</text>`);
  }
  for (const t of s.x) out.push(`<text x="${x.map(t).toFixed(1)}" y="${top + plotH + 16}" class="xtick">${formatTick(t)}</text>`);
  out.push(`<text x="${dx + left + plotW / 2}" y="${height - 8}" class="xlabel">${escapeXml(s.xLabel)}</text>`);
  out.push(`<text transform="translate(${dx + 14} ${top + plotH / 2}) rotate(-90)" class="xlabel">${escapeXml(s.unit)}</text>`);
  out.push(`<rect x="${dx + left}" y="${top}" width="${plotW}" height="${plotH}" class="frame"/>`);
  for (const kind of KINDS) {
    const values = s.series[kind];
    if (!values) continue;
    const points = s.x.map((xv, i) => [xv, values[i] ?? Number.NaN] as const).filter(([, v]) => Number.isFinite(v) && v > 0);
    const path = points.map(([xv, v], i) => `${i ? 'L' : 'M'}${x.map(xv).toFixed(1)},${y.map(v).toFixed(1)}`).join(' ');
    if (points.length > 1) out.push(`<path d="${path}" stroke="${COLORS[kind]}" class="line"/>`);
    for (const [xv, v] of points) {
      out.push(`<circle cx="${x.map(xv).toFixed(1)}" cy="${y.map(v).toFixed(1)}" r="3" fill="${COLORS[kind]}"><title>${escapeXml(`${TARGET_LABELS[kind]}: ${formatTick(v)} ${s.unit} at ${formatTick(xv)}`)}</title></circle>`);
    }
  }
  if (s.note) out.push(`<text x="${dx + left}" y="${top + 12}" class="note">${escapeXml(s.note)}</text>`);
  out.push('</g>');
  return out.join('\n');
}

/**
 * The whole chart: a header line, a legend, then the panels side by side.
 * @example writeFileSync('growth.svg', renderGrowthSvg(report))
 */
export function renderGrowthSvg(report: GrowthReport): string {
  const n = Math.max(1, report.charts.length);
  const width = n * PANEL.width;
  const height = PANEL.height + 58;
  const legend = KINDS.map((k, i) => `<rect x="${8 + i * 190}" y="${PANEL.height + 14}" width="12" height="12" fill="${COLORS[k]}"/><text x="${26 + i * 190}" y="${PANEL.height + 20}" class="legend">${escapeXml(TARGET_LABELS[k])}</text>`).join('');
  const header = `tether bench (${report.mode}) ${report.startedAt} — ${report.machine}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    '<style>.title{font-weight:600;font-size:12px}.grid{stroke:#e5e7eb}.frame{fill:none;stroke:#9ca3af}.line{fill:none;stroke-width:2}.ytick{text-anchor:end;dominant-baseline:middle;fill:#374151}.xtick{text-anchor:middle;fill:#374151}.xlabel{text-anchor:middle;fill:#111827}.legend{dominant-baseline:middle;fill:#111827}.note{fill:#6b7280;font-size:10px}.header{fill:#6b7280;font-size:10px}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...report.charts.map((s, i) => panel(s, i * PANEL.width)),
    legend,
    `<text x="8" y="${PANEL.height + 50}" class="header">${escapeXml(header)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
