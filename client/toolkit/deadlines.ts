// Session clock math: which deadline decides, when to warn, how often to send `session:touch`.
import type { Deadlines } from '../../shared/events.js';

/** Touches are throttled to one per min(60 s, idle timeout / 4). */
export function touchIntervalMs(idleTimeoutMs: number): number {
  return Math.max(1, Math.min(60_000, idleTimeoutMs / 4));
}

/** The warning shows min(60 s, idle timeout / 2) before the deadline. */
export function warningLeadMs(idleTimeoutMs: number): number {
  return Math.max(0, Math.min(60_000, idleTimeoutMs / 2));
}

/** The deadline that ends the session first, and which one it is. */
export function endOf(d: Deadlines): { at: number; kind: 'idle' | 'absolute' } {
  return d.idleExpiresAt <= d.absoluteExpiresAt ? { at: d.idleExpiresAt, kind: 'idle' } : { at: d.absoluteExpiresAt, kind: 'absolute' };
}

/**
 * Where the session stands at `now`:
 * - `ok`: nothing to say yet; the warning starts at `warnAt`;
 * - `idle-warning`: inactivity ends it at `endsAt`, and activity ("Stay signed in") can prevent it;
 * - `absolute-warning`: the allowed time ends at `endsAt`; nothing can move it;
 * - `past`: the deadline `endsAt` has passed.
 */
export type ExpiryPhase =
  | { kind: 'ok'; endsAt: number; warnAt: number }
  | { kind: 'idle-warning'; endsAt: number }
  | { kind: 'absolute-warning'; endsAt: number }
  | { kind: 'past'; endsAt: number };

/**
 * @example expiryPhase(now, { idleExpiresAt: now + 30_000, absoluteExpiresAt: now + 3_600_000 }, 1_800_000)
 *          // { kind: 'idle-warning', endsAt: now + 30_000 }
 */
export function expiryPhase(now: number, d: Deadlines, idleTimeoutMs: number): ExpiryPhase {
  const end = endOf(d);
  if (now >= end.at) return { kind: 'past', endsAt: end.at };
  const warnAt = end.at - warningLeadMs(idleTimeoutMs);
  if (now < warnAt) return { kind: 'ok', endsAt: end.at, warnAt };
  return { kind: end.kind === 'idle' ? 'idle-warning' : 'absolute-warning', endsAt: end.at };
}

/** When the phase can next change by the passing of time alone (null once past). */
export function nextPhaseChangeAt(phase: ExpiryPhase): number | null {
  if (phase.kind === 'ok') return phase.warnAt;
  if (phase.kind === 'past') return null;
  return phase.endsAt;
}

/** Whole seconds left until `at`, never negative. */
export function secondsLeft(now: number, at: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}
