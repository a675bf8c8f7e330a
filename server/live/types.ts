// What a live view is: mount, handleEvent, handleInfo over server-owned state, on the signed-in session.
import type { User } from '../../shared/api.js';
import type { LiveEvents, LiveEventName, LiveStates, LiveViewName } from '../../shared/live.js';
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
export type Changes<V extends LiveViewName> = Partial<LiveStates[V]> | void;

export interface LiveView<V extends LiveViewName> {
  readonly name: V;
  /**
   * Step-up: events refused with `reauthentication_required` unless the session signed in or
   * confirmed its password within the lifecycle's fresh window.
   */
  readonly freshEvents?: ReadonlyArray<LiveEventName<V>>;
  /** Topics this instance hears (their messages reach `handleInfo`). */
  topics(ctx: LiveContext): string[];
  mount(ctx: LiveContext): Promise<LiveStates[V]> | LiveStates[V];
  handleEvent?<E extends LiveEventName<V>>(event: E, payload: LiveEvents<V>[E], ctx: LiveContext, state: Readonly<LiveStates[V]>): Promise<Changes<V>> | Changes<V>;
  handleInfo?(topic: string, message: unknown, ctx: LiveContext, state: Readonly<LiveStates[V]>): Promise<Changes<V>> | Changes<V>;
  /** The instance is gone (left, or its socket disconnected). */
  unmount?(ctx: LiveContext): void;
}

/** Any view, for the registry (each is checked against its own name's types where it is defined). */
export type AnyLiveView = { [V in LiveViewName]: LiveView<V> }[LiveViewName];
