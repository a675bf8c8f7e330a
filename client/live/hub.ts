// The page's live views on its one socket: join while watched, rejoin after a reconnect, patches in order, events.
import type { LiveEventAck, LiveEventMessage, LiveEventName, LiveEvents, LivePatch, LiveStates, LiveViewName } from '../../shared/live.js';
import type { JoinReply } from './wire.js';

/** What the hub needs of a connected socket (live-socket.ts's LiveSocket has it). */
export interface LiveViewSocket {
  join<V extends LiveViewName>(view: V): Promise<JoinReply<V> | null>;
  leave(view: LiveViewName): void;
  send(message: LiveEventMessage): Promise<LiveEventAck | null>;
}

interface Entry {
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
 * @example const hub = new LiveHub(); const off = hub.subscribe('board', () => render(hub.state('board')));
 *          hub.attach(socket); await hub.send('board', 'bump', { by: 1 }); off();
 */
export class LiveHub {
  readonly #entries = new Map<LiveViewName, Entry>();
  #socket: LiveViewSocket | null = null;
  #epoch = 0;

  /** Watches `view` (joining it if needed); `listener` runs on every change. Returns the unsubscribe function. */
  subscribe(view: LiveViewName, listener: () => void): () => void {
    let entry = this.#entries.get(view);
    if (!entry) {
      entry = { listeners: new Set(), state: null, rev: 0, joinedIn: null, joiningIn: null, early: [] };
      this.#entries.set(view, entry);
    }
    const own = entry;
    own.listeners.add(listener);
    this.#sync(view, own);
    return () => {
      if (!own.listeners.delete(listener)) return;
      this.#sync(view, own);
    };
  }

  /** The view's last known state, or null before its first join (and after `reset`). */
  state<V extends LiveViewName>(view: V): LiveStates[V] | null {
    // Stored untyped; written only from checked join replies and patches of this same view.
    return (this.#entries.get(view)?.state ?? null) as LiveStates[V] | null;
  }

  /** Whether `view` is joined on the current connection (its state is up to date). */
  live(view: LiveViewName): boolean {
    const entry = this.#entries.get(view);
    return entry !== undefined && this.#socket !== null && entry.joinedIn === this.#epoch;
  }

  /** Sends an event to a joined view; resolves the server's ack, or `unavailable` when not connected. */
  async send<V extends LiveViewName, E extends LiveEventName<V>>(view: V, event: E, payload: LiveEvents<V>[E]): Promise<LiveEventAck> {
    const socket = this.#socket;
    if (!socket || !this.live(view)) return notConnected('live updates are not connected');
    // TypeScript cannot pair a generic view with its event union; the signature above does.
    const ack = await socket.send({ view, event, payload } as LiveEventMessage);
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
    entry.state = { ...entry.state, ...patch.changes };
    entry.rev = patch.rev;
    return true;
  }

  /** Joins, leaves or forgets `view` to match whether anyone watches it and a socket is there. */
  #sync(view: LiveViewName, entry: Entry): void {
    const socket = this.#socket;
    const wanted = entry.listeners.size > 0;
    if (entry.joiningIn === this.#epoch) return; // the reply decides, in #join
    if (wanted && socket && entry.joinedIn !== this.#epoch) void this.#join(view, entry, socket);
    else if (!wanted) {
      if (socket && entry.joinedIn === this.#epoch) socket.leave(view);
      if (this.#entries.get(view) === entry) this.#entries.delete(view);
    }
  }

  async #join(view: LiveViewName, entry: Entry, socket: LiveViewSocket): Promise<void> {
    const epoch = this.#epoch;
    entry.joiningIn = epoch;
    entry.early = [];
    const reply = await socket.join(view);
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
    if (entry.listeners.size === 0) this.#sync(view, entry);
  }

  #notify(entry: Entry): void {
    for (const listener of [...entry.listeners]) listener();
  }

  #notifyAll(): void {
    for (const entry of this.#entries.values()) this.#notify(entry);
  }
}
