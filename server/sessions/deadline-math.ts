// Pure arithmetic of the idle and absolute deadlines: no I/O, no timers.
import type { Deadlines } from '../../shared/events.js';

export interface Timeouts {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** Deadlines of a session that starts now. */
export function startDeadlines(now: number, t: Timeouts): Deadlines {
  return { idleExpiresAt: now + t.idleTimeoutMs, absoluteExpiresAt: now + t.absoluteTimeoutMs };
}

/** The idle deadline after activity now; the absolute one never moves. */
export function afterActivity(d: Deadlines, now: number, t: Timeouts): Deadlines {
  return { idleExpiresAt: Math.max(d.idleExpiresAt, now + t.idleTimeoutMs), absoluteExpiresAt: d.absoluteExpiresAt };
}

/** When the session ends unless activity moves the idle deadline. */
export function endsAt(d: Deadlines): number {
  return Math.min(d.idleExpiresAt, d.absoluteExpiresAt);
}

export function isPast(d: Deadlines, now: number): boolean {
  return now >= endsAt(d);
}

/** The store entry's lifetime: until the earlier deadline, at least 1 ms. */
export function storeTtlMs(d: Deadlines, now: number): number {
  return Math.max(1, endsAt(d) - now);
}
