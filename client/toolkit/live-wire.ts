// Checks what live views send (join acks, patches, event acks) against each view's own schemas.
// zod/mini: the app's view schemas are zod/mini too (shared/live.ts says why).
import * as z from 'zod/mini';
import type { LiveEventAck, LivePatch, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import { errorAckSchema } from './session-wire.js';

type ErrorAck = z.infer<typeof errorAckSchema>;

/** The reply to `live:join {view}` for view D: its whole state and rev, or the error. */
export type JoinReply<D extends LiveSchemas> = { ok: true; state: LiveStateOf<D>; rev: number } | ErrorAck;

/**
 * The join ack checked against `view`'s state schema; null when malformed.
 * @example const reply = parseJoinAck(boardSchemas, ack); if (reply?.ok) show(reply.state.count);
 */
export function parseJoinAck<D extends LiveSchemas>(view: D, raw: unknown): JoinReply<D> | null {
  const failed = errorAckSchema.safeParse(raw);
  if (failed.success) return failed.data;
  const ok = z.object({ ok: z.literal(true), view: z.literal(view.name), rev: z.number(), state: z.unknown() }).safeParse(raw);
  if (!ok.success) return null;
  const state = z.safeParse(view.state, ok.data.state);
  // `view.state` is D's own schema; TypeScript only sees its bound ($ZodType<object>) here.
  return state.success ? { ok: true, state: state.data as LiveStateOf<D>, rev: ok.data.rev } : null;
}

const patchEnvelope = z.object({ view: z.string(), rev: z.number(), changes: z.record(z.string(), z.unknown()) });

/**
 * A `live:patch` envelope; its changes are checked by the hub against the view's state (it knows the view).
 * @example parsePatch({ view: 'board', rev: 2, changes: { count: 3 } }) // the same object; null for a malformed one
 */
export function parsePatch(raw: unknown): LivePatch | null {
  const parsed = patchEnvelope.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/**
 * The state after `changes`, checked whole against `view`'s state schema (unknown keys dropped, as
 * the schema does); null when the result does not fit, and the patch is then ignored.
 * @example applyChanges(boardSchemas, { count: 1, lastBy: null, lastAt: null }, { count: 2 }) // { count: 2, lastBy: null, lastAt: null }
 */
export function applyChanges<D extends LiveSchemas>(view: D, state: LiveStateOf<D>, changes: Record<string, unknown>): LiveStateOf<D> | null {
  const next = z.safeParse(view.state, { ...state, ...changes });
  return next.success ? (next.data as LiveStateOf<D>) : null;
}

const eventAck = z.union([z.object({ ok: z.literal(true) }), errorAckSchema]);

/** @example parseEventAck({ ok: true }) // { ok: true }; null for anything that is no ack */
export function parseEventAck(raw: unknown): LiveEventAck | null {
  const parsed = eventAck.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
