// Prometheus metrics of one tether node (prom-client): a registry per instance, text for GET /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { END_REASONS, HANDSHAKE_REFUSALS } from '../../shared/reasons.js';
import type { MetricsHooks } from '../sessions/index.js';

/** Live values read when Prometheus scrapes (no bookkeeping on the hot path). */
export interface MetricsSources {
  sockets(): number;
  sessionsWithSockets(): number;
}

export interface Metrics extends MetricsHooks {
  /** Reads the gauges from these functions at each scrape. */
  observe(sources: MetricsSources): void;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Stops the event-loop monitor. */
  close(): void;
}

/**
 * prom-client's handle and request gauges call `process._getActiveHandles()`/`_getActiveRequests()`,
 * which on Node 20 can abort the whole process (`Assertion failed: !obj.IsEmpty()` in
 * AsyncWrap::GetOwner) when a scrape meets a handle whose JS owner is already gone; a CI run of this
 * suite died that way. `nodejs_active_resources` (from `process.getActiveResourcesInfo()`, which
 * reads only type names) counts the same handles, so nothing is lost by dropping these.
 */
const UNSAFE_DEFAULT_METRICS = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_requests', 'nodejs_active_requests_total'];

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * One registry per tether instance, so several servers in one process (tests) do not share counters.
 * Default Node metrics are included: `nodejs_eventloop_lag_p99_seconds` and the rest of the
 * event-loop delay summary, heap, GC, and live libuv resources by type (`nodejs_active_resources`).
 * Not `nodejs_active_handles`/`_requests`: see UNSAFE_DEFAULT_METRICS.
 * @example const metrics = createMetrics(); metrics.handshake('admitted'); res.type(metrics.contentType).send(await metrics.render());
 */
export function createMetrics({ prefix = 'tether_', eventLoopResolutionMs = 10 }: { prefix?: string; eventLoopResolutionMs?: number } = {}): Metrics {
  const register = new Registry();
  collectDefaultMetrics({ register, eventLoopMonitoringPrecision: eventLoopResolutionMs });
  for (const name of UNSAFE_DEFAULT_METRICS) register.removeSingleMetric(name);
  let sources: MetricsSources | undefined;

  new Gauge({ name: `${prefix}sockets`, help: 'Open sockets on this node', registers: [register], collect() { this.set(sources?.sockets() ?? 0); } });
  new Gauge({ name: `${prefix}sessions_with_sockets`, help: 'Sessions with at least one open socket on this node', registers: [register], collect() { this.set(sources?.sessionsWithSockets() ?? 0); } });
  const handshakes = new Counter({ name: `${prefix}handshakes_total`, help: 'Socket handshakes by outcome (admitted or the refusal code)', labelNames: ['outcome'], registers: [register] });
  const ended = new Counter({ name: `${prefix}sessions_ended_total`, help: 'Sessions ended on this node, by reason', labelNames: ['reason'], registers: [register] });
  const lastSocket = new Histogram({ name: `${prefix}end_to_last_socket_seconds`, help: 'From ending a session to its last local socket disconnected', buckets: LATENCY_BUCKETS, registers: [register] });
  const storeLatency = new Histogram({ name: `${prefix}store_call_seconds`, help: 'Session store and registry calls (Redis with SESSION_STORE=redis)', labelNames: ['op'], buckets: LATENCY_BUCKETS, registers: [register] });
  const storeErrors = new Counter({ name: `${prefix}store_errors_total`, help: 'Session store and registry calls that failed', labelNames: ['op'], registers: [register] });
  const joins = new Counter({ name: `${prefix}live_joins_total`, help: 'Live-view joins', labelNames: ['view'], registers: [register] });
  const patches = new Counter({ name: `${prefix}live_patches_total`, help: 'Live-view patches sent', labelNames: ['view'], registers: [register] });
  // Every label value appears from the first scrape (at 0), so rate() and alerts see the series.
  for (const outcome of ['admitted', ...HANDSHAKE_REFUSALS]) handshakes.inc({ outcome }, 0);
  for (const reason of END_REASONS) ended.inc({ reason }, 0);

  return {
    handshake: (outcome) => handshakes.inc({ outcome }),
    sessionEnded: (reason) => ended.inc({ reason }),
    lastSocketGone: (ms) => lastSocket.observe(ms / 1000),
    storeCall(op, ms, failed) {
      storeLatency.observe({ op }, ms / 1000);
      if (failed) storeErrors.inc({ op });
    },
    liveJoin: (view) => joins.inc({ view }),
    livePatch: (view) => patches.inc({ view }),
    observe(s) {
      sources = s;
    },
    render: () => register.metrics(),
    contentType: register.contentType,
    close() {
      register.clear();
    },
  };
}
