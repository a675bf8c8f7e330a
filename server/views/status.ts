// Server status of the node serving the tab: sockets, sessions, event-loop delay, memory, every 2 s.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { statusSchemas, type StatusState } from '../../shared/views/status.js';
import type { Clock, TimerHandle } from '../sessions/index.js';
import { defineLiveView, type LiveView, type Topics } from '../live/index.js';

const TOPIC = 'status:tick';

export interface StatusSource {
  sockets(): number;
  sessions(): number;
}

/**
 * The ticker runs only while some tab shows the panel, and publishes on this node only: each
 * node reports itself.
 * @example const status = createStatusView({ clock, topics, source: { sockets, sessions } });
 */
export function createStatusView({ clock, topics, source, intervalMs = 2000 }: { clock: Clock; topics: Topics; source: StatusSource; intervalMs?: number }): LiveView<typeof statusSchemas> & { close(): void } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let watchers = 0;
  let timer: TimerHandle | undefined;
  const started = clock.now();

  const sample = (): StatusState => {
    const memory = process.memoryUsage();
    const p99 = delay.count > 0 ? delay.percentile(99) / 1e6 : 0;
    return {
      sockets: source.sockets(),
      sessions: source.sessions(),
      eventLoopDelayMs: Math.round(p99 * 10) / 10,
      heapUsedMb: Math.round(memory.heapUsed / 1e5) / 10,
      rssMb: Math.round(memory.rss / 1e5) / 10,
      uptimeS: Math.round((clock.now() - started) / 1000),
      at: clock.now(),
    };
  };
  const tick = (): void => {
    topics.publishLocal(TOPIC, sample());
    delay.reset();
    timer = clock.setTimeout(tick, intervalMs);
  };
  const stop = (): void => {
    if (timer) clock.clearTimeout(timer);
    timer = undefined;
    delay.disable();
  };

  const view = defineLiveView({
    schemas: statusSchemas,
    topics: () => [TOPIC],
    mount() {
      watchers += 1;
      if (!timer) {
        delay.enable();
        timer = clock.setTimeout(tick, intervalMs);
      }
      return sample();
    },
    handleInfo: (_topic, message) => message as StatusState,
    unmount() {
      watchers -= 1;
      if (watchers === 0) stop();
    },
  });
  return { ...view, close: stop };
}
