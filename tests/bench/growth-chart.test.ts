// The growth chart and the runtime choice of the bench: pure functions, checked without a server.
import { describe, expect, it } from 'vitest';
import { renderGrowthSvg } from '../../bench/svg-chart.js';
import { defaultRuntime, isAvailable } from '../../bench/launch.js';
import type { GrowthReport } from '../../bench/growth.js';

const report: GrowthReport = {
  startedAt: '2026-12-01T00:00:00.000Z',
  mode: 'quick',
  command: 'test',
  machine: 'test <machine> & co',
  charts: [
    { id: 'logout', title: 'Logout', xLabel: 'tabs', unit: 'ms', x: [1, 10, 100, 1000], series: { tether: [1, 2, 5, 80], recipe: [1, 2, 4, 60] } },
    { id: 'rss', title: 'RSS', xLabel: 'sockets', unit: 'MiB', x: [1000, 5000], series: { tether: [80, Number.NaN], plain: [60, 90] }, note: 'capped' },
  ],
};

describe('the growth chart', () => {
  it('draws one panel per series and one line per server with at least two points', () => {
    const svg = renderGrowthSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/class="title"/g)).toHaveLength(2);
    // logout: tether and recipe lines; rss: plain only (tether has one finite point: a dot, no line).
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg.match(/<circle /g)).toHaveLength(4 + 4 + 1 + 2);
    expect(svg).toContain('capped');
  });

  it('escapes text that would break the XML', () => {
    const svg = renderGrowthSvg(report);
    expect(svg).toContain('test &lt;machine&gt; &amp; co');
    expect(svg).not.toContain('<machine>');
  });
});

describe('when the bench picks how to start tether', () => {
  it('takes BENCH_RUNTIME=tsx even when a build exists', () => {
    expect(defaultRuntime({ BENCH_RUNTIME: 'tsx' })).toBe('tsx');
  });

  it('uses the compiled build exactly when it exists, unless told otherwise', () => {
    expect(defaultRuntime({})).toBe(isAvailable('compiled') ? 'compiled' : 'tsx');
  });

  it('refuses a runtime it does not know', () => {
    expect(() => defaultRuntime({ BENCH_RUNTIME: 'bun' })).toThrow(/tsx or compiled/);
  });
});
