// The live views' wire contract, open to any app: a view's schemas object and the generic envelopes.
// Type-only zod imports: the app's view schemas are written with `zod/mini` (see defineLiveSchemas)
// and this module adds no schema code of its own to the client bundle.
import type { $ZodType, input, output } from 'zod/v4/core';
import type { Ack } from './ack.js';

/** A view's events: event name → the zod schema of its payload (an object). */
export type LiveEventSchemas = Readonly<Record<string, $ZodType<object>>>;

/**
 * What both sides of one live view agree on: its name, the schema of its whole state and one
 * schema per event payload. Defined once in the app's shared code, imported by the server view
 * (`defineLiveView`) and by the client (`LiveViewController`), so both are typed by it.
 */
export interface LiveSchemas<N extends string = string, S extends $ZodType<object> = $ZodType<object>, E extends LiveEventSchemas = LiveEventSchemas> {
  readonly name: N;
  readonly state: S;
  readonly events: E;
}

/** The state of view D, as the server owns it and the client shows it. */
export type LiveStateOf<D extends LiveSchemas> = output<D['state']>;
/** Event names of view D. */
export type LiveEventName<D extends LiveSchemas> = keyof D['events'] & string;
/** What a client sends as the payload of event E (the schema's input). */
export type LiveEventInput<D extends LiveSchemas, E extends LiveEventName<D>> = input<D['events'][E]>;
/** An event of view D as its server handler gets it, after validation: one union member per event. */
export type LiveEventOf<D extends LiveSchemas> = { [E in LiveEventName<D>]: { event: E; payload: output<D['events'][E]> } }[LiveEventName<D>];

const NAME = /^[a-z][a-z0-9_-]{0,63}$/i;

/**
 * Declares a view's schemas. Write them with `zod/mini`: the client imports this object too, and
 * zod/mini checks the same data as full zod at a fraction of the bundle (both build on zod's core,
 * so the server validates with the very same objects). Names are checked at once.
 * @example export const boardSchemas = defineLiveSchemas({
 *            name: 'board',
 *            state: z.object({ count: z.number() }),
 *            events: { bump: z.strictObject({ by: z.union([z.literal(1), z.literal(-1)]) }) },
 *          });
 */
export function defineLiveSchemas<const N extends string, S extends $ZodType<object>, E extends LiveEventSchemas = Record<never, never>>(schemas: {
  name: N;
  state: S;
  events?: E;
}): LiveSchemas<N, S, E> {
  if (!NAME.test(schemas.name)) throw new TypeError(`live view name ${JSON.stringify(schemas.name)} must be 1-64 letters, digits, - or _, starting with a letter`);
  const events = (schemas.events ?? {}) as E;
  for (const event of Object.keys(events)) {
    if (!NAME.test(event)) throw new TypeError(`event ${JSON.stringify(event)} of live view ${schemas.name} must be 1-64 letters, digits, - or _, starting with a letter`);
  }
  return Object.freeze({ name: schemas.name, state: schemas.state, events });
}

/** A client's event for a view, on the wire. The server checks `payload` against the view's own schema. */
export interface LiveEventMessage {
  view: string;
  event: string;
  payload?: unknown;
}

/** A server push after a change: only the keys that changed. `rev` orders patches per view instance. */
export interface LivePatch {
  view: string;
  rev: number;
  changes: Record<string, unknown>;
}

/** The same for one known view D. */
export interface LivePatchOf<D extends LiveSchemas> {
  view: D['name'];
  rev: number;
  changes: Partial<LiveStateOf<D>>;
}

/** The ack of `live:join {view}`: the view's whole state once, and its rev. */
export type JoinAck = Ack<{ view: string; state: unknown; rev: number }>;
export type LiveEventAck = Ack;
