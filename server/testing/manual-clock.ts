// A clock that moves only when a test says so; its timers fire in order as it advances.
import type { Clock, TimerHandle } from '../sessions/clock.js';

export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers not yet fired. */
  readonly pending: number;
}

/**
 * @example const clock = createManualClock(Date.now()); const server = await startDashboard({ clock });
 *          clock.advance(30 * 60_000); // idle deadline passes: sockets get session:ended
 */
export function createManualClock(start = Date.now()): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  // Handles are opaque to callers; a number stands in for Node's Timeout object.
  const toHandle = (id: number): TimerHandle => id as unknown as TimerHandle;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return toHandle(id);
    },
    clearTimeout(handle) {
      timers.delete(handle as unknown as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = until;
    },
    get pending() {
      return timers.size;
    },
  };
}
