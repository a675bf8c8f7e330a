// The page's live views on its one socket: join while watched, rejoin after a reconnect, patches in order, events.
import type { LiveEventAck, LiveEventInput, LiveEventMessage, LiveEventName, LivePatch, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import { applyChanges, type JoinReply } from './live-wire.js';

/** What the hub needs of a connected socket (live-socket.ts's LiveSocket has it). */
export interface LiveViewSocket {
  join<D extends LiveSchemas>(view: D): Promise<JoinReply<D> | null>;
  leave(view: string): void;
  send(message: LiveEventMessage): Promise<LiveEventAck | null>;
}

interface Entry {
  /** The view's schemas (of its first subscriber; every later one must pass the same object). */
  readonly schemas: LiveSchemas;
  readonly listeners: Set<() => void>;
  /** The last state known (kept through a reconnect, so panels do not blank; null before the first join). */
  state: object | null;
  /** The rev of `state` in the epoch it was joined in; revs restart with each server-side mount. */
  rev: number;
  /** The connect epoch whose join answered (the state is live), or in which a join is in flight. */
  joinedIn: number | null;
  joiningIn: number | null;
  /** Patches that arrived while the join was in flight, applied after it if newer. */
  early: LivePatch[];
}

const notConnected = (message: string): LiveEventAck => ({ ok: false, error: { code: 'unavailable', message } });

/**
 * One hub per page. Views are joined while at least one subscriber watches them and a socket is
 * attached; `attach` (every connect, first or again) starts a new epoch and rejoins them all.
 * Replies and patches are checked against the epoch and socket they belong to, so an answer from
 * before a reconnect, or from a closed socket, never lands on newer state. Within an epoch a patch
 * applies only if its rev is newer than what is shown.
 * Views are known by their schemas object (shared with the server), which also checks every
 * join reply and every patch before it is shown.
 * @example const hub = new LiveHub(); const off = hub.subscribe(boardSchemas, () => render(hub.state(boardSchemas)));
 *          hub.attach(socket); await hub.send(boardSchemas, 'bump', { by: 1 }); off();
 */
export class LiveHub {
  readonly #entries = new Map<string, Entry>();
  #socket: LiveViewSocket | null = null;
  #epoch = 0;

  /** Watches `view` (joining it if needed); `listener` runs on every change. Returns the unsubscribe function. */
  subscribe(view: LiveSchemas, listener: () => void): () => void {
    let entry = this.#entries.get(view.name);
    if (entry && entry.schemas !== view) throw new TypeError(`two different schemas objects are named ${JSON.stringify(view.name)}`);
    if (!entry) {
      entry = { schemas: view, listeners: new Set(), state: null, rev: 0, joinedIn: null, joiningIn: null, early: [] };
      this.#entries.set(view.name, entry);
    }
    const own = entry;
    own.listeners.add(listener);
    this.#sync(view.name, own);
    return () => {
      if (!own.listeners.delete(listener)) return;
      this.#sync(view.name, own);
    };
  }

  /** The view's last known state, or null before its first join (and after `reset`). */
  state<D extends LiveSchemas>(view: D): LiveStateOf<D> | null {
    const entry = this.#entries.get(view.name);
    // Stored untyped; written only from join replies and patches checked by this same schemas object.
    return entry?.schemas === view ? (entry.state as LiveStateOf<D> | null) : null;
  }

  /** Whether `view` is joined on the current connection (its state is up to date). */
  live(view: LiveSchemas): boolean {
    const entry = this.#entries.get(view.name);
    return entry !== undefined && this.#socket !== null && entry.joinedIn === this.#epoch;
  }

  /** Sends an event to a joined view; resolves the server's ack, or `unavailable` when not connected. */
  async send<D extends LiveSchemas, E extends LiveEventName<D>>(view: D, event: E, payload: LiveEventInput<D, E>): Promise<LiveEventAck> {
    const socket = this.#socket;
    if (!socket || !this.live(view)) return notConnected('live updates are not connected');
    const ack = await socket.send({ view: view.name, event, payload });
    return ack ?? notConnected('the server did not answer');
  }

  /** A (re)connected socket: a new epoch, and every watched view joins again on it. */
  attach(socket: LiveViewSocket): void {
    this.#socket = socket;
    this.#epoch += 1;
    for (const [view, entry] of this.#entries) this.#sync(view, entry);
    this.#notifyAll();
  }

  /** The socket dropped or closed: the states stay on screen, no longer live, until the next `attach`. */
  detach(): void {
    if (this.#socket === null) return;
    this.#socket = null;
    this.#epoch += 1;
    this.#notifyAll();
  }

  /** The session is over: nothing of it may stay on screen. */
  reset(): void {
    this.#socket = null;
    this.#epoch += 1;
    for (const entry of this.#entries.values()) Object.assign(entry, { state: null, rev: 0, joinedIn: null, joiningIn: null, early: [] });
    this.#notifyAll();
  }

  /** A patch pushed by `from`; ignored unless `from` is the current socket and the rev is newer. */
  patch(from: LiveViewSocket, patch: LivePatch): void {
    const entry = this.#entries.get(patch.view);
    if (from !== this.#socket || !entry) return;
    if (entry.joiningIn === this.#epoch) {
      entry.early.push(patch);
      return;
    }
    if (entry.joinedIn === this.#epoch && this.#apply(entry, patch)) this.#notify(entry);
  }

  #apply(entry: Entry, patch: LivePatch): boolean {
    if (entry.state === null || patch.rev <= entry.rev) return false;
    // A patch whose result does not fit the view's state is dropped (the next join repairs it).
    const next = applyChanges(entry.schemas, entry.state, patch.changes);
    if (next === null) return false;
    entry.state = next;
    entry.rev = patch.rev;
    return true;
  }

  /** Joins, leaves or forgets `view` to match whether anyone watches it and a socket is there. */
  #sync(view: string, entry: Entry): void {
    const socket = this.#socket;
    const wanted = entry.listeners.size > 0;
    if (entry.joiningIn === this.#epoch) return; // the reply decides, in #join
    if (wanted && socket && entry.joinedIn !== this.#epoch) void this.#join(entry, socket);
    else if (!wanted) {
      if (socket && entry.joinedIn === this.#epoch) socket.leave(view);
      if (this.#entries.get(view) === entry) this.#entries.delete(view);
    }
  }

  async #join(entry: Entry, socket: LiveViewSocket): Promise<void> {
    const epoch = this.#epoch;
    entry.joiningIn = epoch;
    entry.early = [];
    const reply = await socket.join(entry.schemas);
    // A reply from an older connect epoch (a reconnect or a reset happened meanwhile) says nothing now.
    if (epoch !== this.#epoch || socket !== this.#socket) return;
    entry.joiningIn = null;
    const early = entry.early;
    entry.early = [];
    if (reply?.ok) {
      entry.state = reply.state;
      entry.rev = reply.rev;
      entry.joinedIn = epoch;
      for (const patch of early) this.#apply(entry, patch);
      this.#notify(entry);
    }
    // Left alone meanwhile: leave again (or forget the entry if the join failed).
    if (entry.listeners.size === 0) this.#sync(entry.schemas.name, entry);
  }

  #notify(entry: Entry): void {
    for (const listener of [...entry.listeners]) listener();
  }

  #notifyAll(): void {
    for (const entry of this.#entries.values()) this.#notify(entry);
  }
}
