// Schemas for what live views send (join acks, patches, event acks), checked before a panel trusts it.
// zod/mini, and no values from shared/live.ts: that module builds full-zod schemas at load.
import * as z from 'zod/mini';
import type { LiveEventAck, LivePatch, LiveStates, LiveViewName, Theme } from '../../shared/live.js';
import { SOCKET_ERROR_CODES } from '../../shared/reasons.js';

/** Every theme of shared/live.ts, as an enum object (a theme added there is a compile error here). */
const THEME_ENUM = { system: 'system', light: 'light', dark: 'dark' } as const satisfies { [T in Theme]: T };
export const themeSchema: z.ZodMiniType<Theme> = z.enum(THEME_ENUM);

const stateShapes = {
  presence: z.object({
    online: z.array(z.object({ userId: z.string(), username: z.string(), tabs: z.number() })),
  }),
  status: z.object({
    sockets: z.number(),
    sessions: z.number(),
    eventLoopDelayMs: z.number(),
    heapUsedMb: z.number(),
    rssMb: z.number(),
    uptimeS: z.number(),
    at: z.number(),
  }),
  board: z.object({ count: z.number(), lastBy: z.nullable(z.string()), lastAt: z.nullable(z.number()) }),
  prefs: z.object({ theme: themeSchema }),
};

/** Each view's whole state; the mapped type makes a view missing here (or a wrong shape) a compile error. */
const stateSchemas: { [V in LiveViewName]: z.ZodMiniType<LiveStates[V]> } = stateShapes;
/** The same, every key optional: what a patch may carry. Unknown keys are dropped. */
const changesSchemas: { [V in LiveViewName]: z.ZodMiniType<Partial<LiveStates[V]>> } = {
  presence: z.partial(stateShapes.presence),
  status: z.partial(stateShapes.status),
  board: z.partial(stateShapes.board),
  prefs: z.partial(stateShapes.prefs),
};

export const LIVE_VIEW_NAMES = Object.keys(stateShapes) as LiveViewName[];
const isView = (value: unknown): value is LiveViewName => typeof value === 'string' && Object.hasOwn(stateShapes, value);

const errorAck = z.object({ ok: z.literal(false), error: z.object({ code: z.enum(SOCKET_ERROR_CODES), message: z.string() }) });
type ErrorAck = z.infer<typeof errorAck>;

/** The reply to `live:join {view}` for that view: its whole state and rev, or the error; null when malformed. */
export type JoinReply<V extends LiveViewName> = { ok: true; state: LiveStates[V]; rev: number } | ErrorAck;

export function parseJoinAck<V extends LiveViewName>(view: V, raw: unknown): JoinReply<V> | null {
  const failed = errorAck.safeParse(raw);
  if (failed.success) return failed.data;
  const ok = z.object({ ok: z.literal(true), view: z.literal(view), rev: z.number(), state: z.unknown() }).safeParse(raw);
  if (!ok.success) return null;
  const state = stateSchemas[view].safeParse(ok.data.state);
  return state.success ? { ok: true, state: state.data, rev: ok.data.rev } : null;
}

const patchEnvelope = z.object({ view: z.string(), rev: z.number(), changes: z.record(z.string(), z.unknown()) });

/** A `live:patch` whose changes fit its view's state; null otherwise. */
export function parsePatch(raw: unknown): LivePatch | null {
  const envelope = patchEnvelope.safeParse(raw);
  if (!envelope.success || !isView(envelope.data.view)) return null;
  const { view, rev } = envelope.data;
  const changes = changesSchemas[view].safeParse(envelope.data.changes);
  // The cast pairs `view` with its own changes, which the schema lookup just checked.
  return changes.success ? ({ view, rev, changes: changes.data } as LivePatch) : null;
}

const eventAck = z.union([z.object({ ok: z.literal(true) }), errorAck]);

export function parseEventAck(raw: unknown): LiveEventAck | null {
  const parsed = eventAck.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
