// One open tab of a simulated browser: its socket, typed by the app's server→client events, and waits on what arrives.
import type { Socket } from 'socket.io-client';
import { safeParse } from 'zod/mini';
import type { Ack, ClientToServerEvents, Deadlines, ServerToClientEvents, TouchAck } from '../../shared/events.js';
import type { JoinAck, LiveEventInput, LiveEventName, LivePatch, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import type { EndReason } from '../../shared/reasons.js';
import { nextEvent, noEvent } from './wait.js';

/** An app's server→client events, Socket.IO style (event name → listener); the contract's by default. */
export type ServerEvents<S2C> = { [E in keyof S2C]: (...args: never[]) => void };

/** The first argument the server sends with `event` (undefined for an event without one). */
export type EventPayload<S2C, E extends keyof S2C> = S2C[E] extends (...args: infer A) => void ? A[0] : never;

/** A tab's socket: it listens for the app's server→client events and emits the contract's client events. */
export type TabSocket<S2C extends ServerEvents<S2C> = ServerToClientEvents> = Socket<S2C, ClientToServerEvents>;

/**
 * One open tab: the typed socket plus helpers to await what the server sends. The end of the
 * session is recorded as it arrives, so `ended()` also answers for an event that came earlier.
 */
export class TestTab<S2C extends ServerEvents<S2C> = ServerToClientEvents> {
  /** Every `session:ended` reason this tab received (the contract says: exactly one). */
  readonly endings: EndReason[] = [];
  /** The socket, typed by the app's events (`S2C`). */
  readonly socket: TabSocket<S2C>;
  /** The same socket as the toolkit's own events type it: the kit's helpers listen through it. */
  readonly #contract: TabSocket;
  #renewals = 0;
  #disconnectReason: string | undefined;

  constructor(socket: TabSocket) {
    this.#contract = socket;
    // Socket.IO types a socket by its maps only; the object is the same whatever map it is read with.
    this.socket = socket as unknown as TabSocket<S2C>;
    socket.on('session:ended', ({ reason }) => this.endings.push(reason));
    socket.on('session:renewed', () => (this.#renewals += 1));
    socket.on('disconnect', (reason) => (this.#disconnectReason = reason));
  }
  /**
   * The payload of the next `event` the server sends this tab, within `timeoutMs`; the name is one
   * of `S2C`'s, the result its payload's type.
   * @example const ended = tab.nextEvent('session:ended'); await browser.logout(); expect((await ended).reason).toBe('logout');
   */
  nextEvent<E extends keyof S2C & string>(event: E, timeoutMs = 2000): Promise<EventPayload<S2C, E>> {
    return nextEvent<EventPayload<S2C, E>>(this.#contract, event, timeoutMs);
  }
  /**
   * Resolves true if the server sends no `event` within `ms` (assert something positive first).
   * @example expect(await otherTab.noEvent('session:ended')).toBe(true);
   */
  noEvent<E extends keyof S2C & string>(event: E, ms = 200): Promise<boolean> {
    return noEvent(this.#contract, event, ms);
  }
  get connected(): boolean {
    return this.socket.connected;
  }
  /** The reason of `session:ended`, received already or within `timeoutMs`. */
  async ended(timeoutMs = 2000): Promise<EndReason> {
    const seen = this.endings[0];
    if (seen) return seen;
    return (await nextEvent<{ reason: EndReason }>(this.#contract, 'session:ended', timeoutMs)).reason;
  }
  /** Resolves once `session:renewed` was received. */
  async renewed(timeoutMs = 2000): Promise<void> {
    if (this.#renewals === 0) await nextEvent(this.#contract, 'session:renewed', timeoutMs);
  }
  /** Resolves with the disconnect reason (e.g. `io server disconnect`). */
  disconnected(timeoutMs = 2000): Promise<string> {
    if (this.#disconnectReason !== undefined) return Promise.resolve(this.#disconnectReason);
    return nextEvent<string>(this.#contract, 'disconnect', timeoutMs);
  }
  /** Joins a live view (its shared schemas object); resolves with its whole state, checked by its schema. */
  async join<D extends LiveSchemas>(view: D, timeoutMs = 2000): Promise<LiveStateOf<D>> {
    const ack: JoinAck = await this.#contract.timeout(timeoutMs).emitWithAck('live:join', { view: view.name });
    if (!ack.ok) throw new Error(`join ${view.name}: ${ack.error.code}`);
    const state = safeParse(view.state, ack.state);
    if (!state.success) throw new Error(`join ${view.name}: the state does not fit its schema: ${state.error.issues[0]?.message ?? ''}`);
    // `view.state` is D's own schema; TypeScript only sees its bound ($ZodType<object>) here.
    return state.data as LiveStateOf<D>;
  }
  /** Sends a typed event to a joined live view; resolves with the ack. */
  liveEvent<D extends LiveSchemas, E extends LiveEventName<D>>(view: D, event: E, payload: LiveEventInput<D, E>, timeoutMs = 2000): Promise<Ack> {
    return this.#contract.timeout(timeoutMs).emitWithAck('live:event', { view: view.name, event, payload });
  }
  /** The next patch of a view (only the changed keys). */
  patch<D extends LiveSchemas>(view: D, timeoutMs = 2000): Promise<Partial<LiveStateOf<D>>> {
    return new Promise((resolve, reject) => {
      const listener = (p: LivePatch): void => {
        if (p.view !== view.name) return;
        clearTimeout(timer);
        this.#contract.off('live:patch', listener);
        // The changed keys as sent: a test asserts on them (a wrong key must show, not be dropped).
        resolve(p.changes as Partial<LiveStateOf<D>>);
      };
      const timer = setTimeout(() => {
        this.#contract.off('live:patch', listener);
        reject(new Error(`no ${view.name} patch within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#contract.on('live:patch', listener);
    });
  }
  touch(timeoutMs = 2000): Promise<TouchAck> {
    return this.#contract.timeout(timeoutMs).emitWithAck('session:touch', {});
  }
  deadlines(timeoutMs = 2000): Promise<Deadlines> {
    return nextEvent<Deadlines>(this.#contract, 'session:deadlines', timeoutMs);
  }
  close(): void {
    this.socket.disconnect();
  }
}
