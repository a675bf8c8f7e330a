// What a live view is: mount, handleEvent, handleInfo over server-owned state, on the signed-in session.
import type { User } from '../../shared/api.js';
import type { LiveEventOf, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import type { AppData } from '../sessions/data.js';

/**
 * What a view knows of who is asking: the user and their session, never the cookie. The session
 * can be read and written; a write is saved to the store at once, so HTTP and the other tabs see it.
 */
export interface LiveContext {
  readonly user: User;
  readonly session: {
    /** The session's app data (null once it ended). */
    read(): Promise<Partial<AppData> | null>;
    /** Merges app data key by key; null when the session has ended. */
    write(patch: Partial<AppData>): Promise<Partial<AppData> | null>;
    /** Topic that every view instance of this session hears (e.g. a preference changed). */
    readonly topic: string;
  };
  /** Sends a message to every subscriber of `topic`, on every node. */
  publish(topic: string, message: unknown): void;
}

/** A state change a handler returns: only the keys it changed (or nothing). */
export type Changes<D extends LiveSchemas> = Partial<LiveStateOf<D>> | undefined | void;

/**
 * The handlers of view D. Declared with method syntax on purpose: that keeps a `LiveView<Board>`
 * assignable to the registry's `AnyLiveView`, whose handlers take any view's values.
 */
export interface LiveViewHandlers<D extends LiveSchemas> {
  /**
   * Step-up: events refused with `reauthentication_required` unless the session signed in or
   * confirmed its password within the lifecycle's fresh window.
   */
  readonly freshEvents?: ReadonlyArray<keyof D['events'] & string>;
  /** Topics this instance hears (their messages reach `handleInfo`); none by default. */
  topics?(ctx: LiveContext): readonly string[];
  /** The whole state of a new instance (one per socket that joins). */
  mount(ctx: LiveContext): Promise<LiveStateOf<D>> | LiveStateOf<D>;
  /** A client's event, its payload already checked against `schemas.events[event]`. */
  handleEvent?(message: LiveEventOf<D>, ctx: LiveContext, state: Readonly<LiveStateOf<D>>): Promise<Changes<D>> | Changes<D>;
  /** A message on one of `topics` (from this node or another). It is `unknown`: check it. */
  handleInfo?(topic: string, message: unknown, ctx: LiveContext, state: Readonly<LiveStateOf<D>>): Promise<Changes<D>> | Changes<D>;
  /** The instance is gone (left, or its socket disconnected). */
  unmount?(ctx: LiveContext): void;
}

export interface LiveView<D extends LiveSchemas = LiveSchemas> extends LiveViewHandlers<D> {
  readonly name: D['name'];
  readonly schemas: D;
}

/**
 * Any view, for the registry: each is checked against its own schemas where it is defined, and
 * compared with this one structurally (method parameters are bivariant), not by its type argument.
 */
export interface AnyLiveView {
  readonly name: string;
  readonly schemas: LiveSchemas;
  readonly freshEvents?: readonly string[];
  topics?(ctx: LiveContext): readonly string[];
  mount(ctx: LiveContext): Promise<object> | object;
  handleEvent?(message: { event: string; payload: object }, ctx: LiveContext, state: object): Promise<AnyChanges> | AnyChanges;
  handleInfo?(topic: string, message: unknown, ctx: LiveContext, state: object): Promise<AnyChanges> | AnyChanges;
  unmount?(ctx: LiveContext): void;
}
type AnyChanges = object | undefined | void;
