// Test doubles for the client: a Socket.IO client socket, fake timers, a BroadcastChannel pair.
import type { Timers } from '../../client/toolkit/index.js';
import type { TetherClientSocket } from '../../client/toolkit/index.js';
import type { ChannelLike } from '../../client/toolkit/index.js';

type Listener = (...args: unknown[]) => void;

/** Enough of socket.io-client's Socket for live-socket.ts: events, connect/disconnect, acks. */
export class FakeSocket {
  readonly listeners = new Map<string, Set<Listener>>();
  connected = false;
  active = true;
  connects = 0;
  disconnects = 0;
  readonly emitted: Array<{ event: string; payload: unknown; ack: Listener }> = [];

  on(event: string, fn: Listener): this {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)?.add(fn);
    return this;
  }
  off(event: string, fn: Listener): this {
    this.listeners.get(event)?.delete(fn);
    return this;
  }
  connect(): this {
    this.connects += 1;
    this.active = true;
    return this;
  }
  disconnect(): this {
    this.disconnects += 1;
    this.connected = false;
    this.active = false;
    return this;
  }
  timeout(_ms: number): { emit: (event: string, payload: unknown, ack: Listener) => void } {
    return { emit: (event, payload, ack) => void this.emitted.push({ event, payload, ack }) };
  }
  /** What the server (or the Manager) would make the client socket emit. */
  fire(event: string, ...args: unknown[]): void {
    if (event === 'connect') this.connected = true;
    for (const fn of [...(this.listeners.get(event) ?? [])]) fn(...args);
  }
  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
  asSocket(): TetherClientSocket {
    return this as unknown as TetherClientSocket;
  }
}

/** A handshake refusal as socket.io-client reports it. */
export const refusal = (code: string): Error => Object.assign(new Error(code), { data: { code } });

/** Timers on vitest's fake clock (call vi.useFakeTimers() first). */
export const viTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** Two ends of one channel that deliver synchronously (a BroadcastChannel between two tabs). */
export function channelPair(): [ChannelLike & { closed: boolean }, ChannelLike & { closed: boolean }] {
  const make = () => {
    const listeners = new Set<(e: MessageEvent) => void>();
    return {
      closed: false,
      peer: null as null | { deliver: (data: unknown) => void },
      deliver(data: unknown) {
        for (const l of listeners) l({ data } as MessageEvent);
      },
      postMessage(data: unknown) {
        // structuredClone, as BroadcastChannel does.
        this.peer?.deliver(structuredClone(data));
      },
      addEventListener: (_t: 'message', l: (e: MessageEvent) => void) => void listeners.add(l),
      removeEventListener: (_t: 'message', l: (e: MessageEvent) => void) => void listeners.delete(l),
      close() {
        this.closed = true;
      },
    };
  };
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
