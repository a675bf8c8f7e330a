// The live views' wire contract: each view's state and events, typed both ways and checked with zod.
import { z } from 'zod';
import type { Ack } from './ack.js';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface PresenceState {
  /** Signed-in users with at least one tab on the dashboard, across nodes, by username. */
  online: Array<{ userId: string; username: string; tabs: number }>;
}

export interface StatusState {
  /** Sockets connected to the node serving this tab. */
  sockets: number;
  /** Sessions with at least one open socket on that node. */
  sessions: number;
  eventLoopDelayMs: number;
  heapUsedMb: number;
  rssMb: number;
  uptimeS: number;
  at: number;
}

export interface BoardState {
  count: number;
  lastBy: string | null;
  lastAt: number | null;
}

export interface PrefsState {
  theme: Theme;
}

export interface LiveStates {
  presence: PresenceState;
  status: StatusState;
  board: BoardState;
  prefs: PrefsState;
}

export type LiveViewName = keyof LiveStates;
export const LIVE_VIEWS = ['presence', 'status', 'board', 'prefs'] as const satisfies readonly LiveViewName[];

/** Each view's events and their payload schemas: the server validates with these at the edge. */
export const liveEventSchemas = {
  presence: {},
  status: {},
  board: {
    bump: z.strictObject({ by: z.union([z.literal(1), z.literal(-1)]) }),
    reset: z.strictObject({}),
  },
  prefs: {
    setTheme: z.strictObject({ theme: z.enum(THEMES) }),
  },
} as const satisfies Record<LiveViewName, Record<string, z.ZodType>>;

type Schemas = typeof liveEventSchemas;
/** The events of view V, each with its payload type. */
export type LiveEvents<V extends LiveViewName> = { [E in keyof Schemas[V]]: Schemas[V][E] extends z.ZodType ? z.infer<Schemas[V][E]> : never };
export type LiveEventName<V extends LiveViewName> = keyof LiveEvents<V> & string;

/** A client's event for a view: `{view, event, payload}`, one union member per (view, event). */
export type LiveEventMessage = {
  [V in LiveViewName]: { [E in LiveEventName<V>]: { view: V; event: E; payload: LiveEvents<V>[E] } }[LiveEventName<V>];
}[LiveViewName];

/** A server push after a change: only the keys that changed. `rev` orders patches per view. */
export type LivePatch = { [V in LiveViewName]: { view: V; rev: number; changes: Partial<LiveStates[V]> } }[LiveViewName];

export type JoinAck<V extends LiveViewName = LiveViewName> = Ack<{ view: V; state: LiveStates[V]; rev: number }>;
export type LiveEventAck = Ack;

export const liveJoinSchema = z.strictObject({ view: z.enum(LIVE_VIEWS) });
export const liveEventEnvelopeSchema = z.strictObject({
  view: z.enum(LIVE_VIEWS),
  event: z.string().min(1).max(64),
  payload: z.unknown().optional(),
});
