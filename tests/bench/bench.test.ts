// Runs the quick mode's smallest scenario once, so the bench cannot rot: it must start every
// server, drive it with the real client and produce sane numbers. No timing thresholds here.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../bench/run.js';
import { formatReport, tableRows } from '../../bench/report.js';
import { describeMachine, finishMachine } from '../../bench/machine.js';
import { touchScenario } from '../../bench/scenarios/touch.js';
import type { BenchContext } from '../../bench/scenario.js';

describe('the bench, in quick mode', () => {
  it('measures the touch round trip against both baselines and reports it', async () => {
    const ctx: BenchContext = { quick: true, log: () => {}, redisUrl: 'redis://127.0.0.1:6379', fdLimit: 4096 };
    const result = await runScenario(touchScenario, ctx);
    expect(result.error).toBeUndefined();
    const p50 = result.figures.find((f) => f.id === 'touch.p50');
    const p99 = result.figures.find((f) => f.id === 'touch.p99');
    for (const kind of ['tether', 'plain', 'recipe'] as const) {
      const median = p50?.values[kind]?.value ?? Number.NaN;
      const tail = p99?.values[kind]?.value ?? Number.NaN;
      // Round trips over loopback: above a microsecond, below a second, and the tail not below the median.
      expect(median).toBeGreaterThan(1);
      expect(median).toBeLessThan(1_000_000);
      expect(tail).toBeGreaterThanOrEqual(median);
    }
    expect(p50?.ratio?.baseline).toBe('plain');
    expect(Number.isFinite(p50?.ratio?.value)).toBe(true);
    expect(p50?.target?.text).toContain('plain ack');

    const report = formatReport({ startedAt: new Date().toISOString(), mode: 'quick', command: 'test', machine: finishMachine(describeMachine()), durationMs: result.durationMs, scenarios: [result] });
    expect(report).toContain('round trip p50');
    expect(tableRows([result]).length).toBe(1 + result.figures.length);
  }, 120_000);
});
