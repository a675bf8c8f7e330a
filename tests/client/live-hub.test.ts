// The live hub and its Lit controller: join while watched, patches in rev order, rejoin after a reconnect, stale replies ignored.
import { describe, expect, it, vi } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import type { LiveEventAck, LiveEventMessage, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import { boardSchemas } from '../../shared/views/board.js';
import { prefsSchemas } from '../../shared/views/prefs.js';
import { presenceSchemas } from '../../shared/views/presence.js';
import { statusSchemas } from '../../shared/views/status.js';
import { LiveViewController, provideLiveHub } from '../../client/toolkit/index.js';
import { LiveHub, type LiveViewSocket } from '../../client/toolkit/index.js';
import type { JoinReply } from '../../client/toolkit/index.js';

/** A socket whose join replies the test releases by hand, in any order. */
function socketDouble() {
  const joins: Array<{ view: string; reply(value: JoinReply<LiveSchemas> | null): void }> = [];
  const left: string[] = [];
  const sent: LiveEventMessage[] = [];
  const socket: LiveViewSocket = {
    join: <D extends LiveSchemas>(view: D) =>
      new Promise<JoinReply<D> | null>((resolve) => joins.push({ view: view.name, reply: (value) => resolve(value as JoinReply<D> | null) })),
    leave: (view) => void left.push(view),
    send: async (message): Promise<LiveEventAck> => {
      sent.push(message);
      return { ok: true };
    },
  };
  /** Answers the oldest pending join of `view` with `state` at `rev`. */
  const answer = async <D extends LiveSchemas>(view: D, state: LiveStateOf<D>, rev = 0): Promise<void> => {
    const i = joins.findIndex((j) => j.view === view.name);
    const [join] = joins.splice(i, 1);
    join?.reply({ ok: true, state, rev });
    await Promise.resolve();
  };
  return { socket, joins, left, sent, answer };
}

const board = (count: number, lastBy: string | null = null) => ({ count, lastBy, lastAt: lastBy ? 1 : null });

describe('LiveHub', () => {
  describe('when a panel starts watching a view', () => {
    it('joins once on the attached socket, however many watch it, and notifies them with the state', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      const a = vi.fn();
      const b = vi.fn();
      hub.subscribe(boardSchemas, a);
      expect(s.joins).toHaveLength(0); // no socket yet
      hub.attach(s.socket);
      hub.subscribe(boardSchemas, b);
      expect(s.joins.map((j) => j.view)).toEqual(['board']);
      expect(hub.live(boardSchemas)).toBe(false);
      await s.answer(boardSchemas, board(3));
      expect(hub.state(boardSchemas)).toEqual(board(3));
      expect(hub.live(boardSchemas)).toBe(true);
      expect(a).toHaveBeenCalled();
      expect(b).toHaveBeenCalled();
    });
  });

  describe('when patches arrive', () => {
    it('applies the changed keys of newer revs and ignores old or repeated ones', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      const listener = vi.fn();
      hub.subscribe(boardSchemas, listener);
      await s.answer(boardSchemas, board(1), 4);
      listener.mockClear();
      hub.patch(s.socket, { view: 'board', rev: 5, changes: { count: 2, lastBy: 'ann' } });
      hub.patch(s.socket, { view: 'board', rev: 5, changes: { count: 99 } });
      hub.patch(s.socket, { view: 'board', rev: 3, changes: { count: 98 } });
      expect(hub.state(boardSchemas)).toEqual({ count: 2, lastBy: 'ann', lastAt: null });
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it("ignores changes that do not fit the view's state schema, and drops keys it does not know", async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      const listener = vi.fn();
      hub.subscribe(prefsSchemas, listener);
      await s.answer(prefsSchemas, { theme: 'light' }, 1);
      listener.mockClear();
      hub.patch(s.socket, { view: 'prefs', rev: 2, changes: { theme: 'neon' } });
      hub.patch(s.socket, { view: 'admin', rev: 3, changes: { theme: 'dark' } });
      expect(hub.state(prefsSchemas)).toEqual({ theme: 'light' });
      expect(listener).not.toHaveBeenCalled();
      hub.patch(s.socket, { view: 'prefs', rev: 4, changes: { theme: 'dark', extra: 1 } });
      expect(hub.state(prefsSchemas)).toEqual({ theme: 'dark' });
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it('refuses a second, different schemas object under a name already watched', () => {
      const hub = new LiveHub();
      hub.subscribe(boardSchemas, () => {});
      expect(() => hub.subscribe({ ...boardSchemas }, () => {})).toThrow(/two different schemas objects are named "board"/);
    });

    it('keeps the patches that overtake the join reply and applies those newer than it', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      hub.subscribe(boardSchemas, () => {});
      hub.patch(s.socket, { view: 'board', rev: 1, changes: { count: 10 } });
      hub.patch(s.socket, { view: 'board', rev: 2, changes: { count: 11 } });
      await s.answer(boardSchemas, board(10), 1);
      expect(hub.state(boardSchemas)?.count).toBe(11);
    });

    it('ignores patches from a socket that is not the current one', async () => {
      const hub = new LiveHub();
      const old = socketDouble();
      const current = socketDouble();
      hub.attach(old.socket);
      hub.subscribe(boardSchemas, () => {});
      await old.answer(boardSchemas, board(1));
      hub.attach(current.socket);
      await current.answer(boardSchemas, board(1));
      hub.patch(old.socket, { view: 'board', rev: 9, changes: { count: 50 } });
      expect(hub.state(boardSchemas)?.count).toBe(1);
    });
  });

  describe('after a reconnect', () => {
    it('rejoins every watched view; revs start again from the new join', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.subscribe(boardSchemas, () => {});
      hub.subscribe(presenceSchemas, () => {});
      hub.attach(s.socket);
      await s.answer(boardSchemas, board(1), 7);
      await s.answer(presenceSchemas, { online: [] });
      hub.detach();
      expect(hub.live(boardSchemas)).toBe(false);
      expect(hub.state(boardSchemas)?.count).toBe(1); // still shown, no longer live
      hub.attach(s.socket); // the same socket, connected again: a new server-side mount
      expect(s.joins.map((j) => j.view).sort()).toEqual(['board', 'presence']);
      await s.answer(boardSchemas, board(4), 0);
      hub.patch(s.socket, { view: 'board', rev: 1, changes: { count: 5 } });
      expect(hub.state(boardSchemas)?.count).toBe(5);
      expect(hub.live(boardSchemas)).toBe(true);
    });

    it('ignores a join reply from before the reconnect (the connect clock moved on)', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      hub.subscribe(boardSchemas, () => {});
      const stale = s.joins.shift();
      hub.detach();
      hub.attach(s.socket);
      stale?.reply({ ok: true, state: board(666), rev: 100 });
      await Promise.resolve();
      expect(hub.state(boardSchemas)).toBeNull();
      await s.answer(boardSchemas, board(2));
      expect(hub.state(boardSchemas)?.count).toBe(2);
      hub.patch(s.socket, { view: 'board', rev: 1, changes: { count: 3 } });
      expect(hub.state(boardSchemas)?.count).toBe(3);
    });
  });

  describe('when the last panel stops watching', () => {
    it('leaves the view; a join still in flight is left once it answers', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      const off = hub.subscribe(statusSchemas, () => {});
      const offSoon = hub.subscribe(boardSchemas, () => {});
      await s.answer(statusSchemas, { sockets: 1, sessions: 1, eventLoopDelayMs: 0, heapUsedMb: 1, rssMb: 1, uptimeS: 1, at: 1 });
      off();
      expect(s.left).toEqual(['status']);
      offSoon();
      expect(s.left).toEqual(['status']);
      await s.answer(boardSchemas, board(0));
      expect(s.left).toEqual(['status', 'board']);
      expect(hub.state(boardSchemas)).toBeNull();
    });

    it('a panel that comes back while the join is in flight keeps the view joined', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      hub.attach(s.socket);
      hub.subscribe(boardSchemas, () => {})();
      hub.subscribe(boardSchemas, () => {});
      expect(s.joins).toHaveLength(1);
      await s.answer(boardSchemas, board(8));
      expect(s.left).toEqual([]);
      expect(hub.state(boardSchemas)?.count).toBe(8);
    });
  });

  describe('events', () => {
    it('are sent only to a joined view; otherwise the answer is unavailable', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      expect(await hub.send(boardSchemas, 'bump', { by: 1 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      hub.attach(s.socket);
      hub.subscribe(boardSchemas, () => {});
      expect(await hub.send(boardSchemas, 'bump', { by: 1 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      await s.answer(boardSchemas, board(0));
      expect(await hub.send(boardSchemas, 'bump', { by: -1 })).toEqual({ ok: true });
      expect(s.sent).toEqual([{ view: 'board', event: 'bump', payload: { by: -1 } }]);
    });
  });

  describe('when the session ends', () => {
    it('forgets every state and tells the watchers', async () => {
      const hub = new LiveHub();
      const s = socketDouble();
      const listener = vi.fn();
      hub.attach(s.socket);
      hub.subscribe(prefsSchemas, listener);
      await s.answer(prefsSchemas, { theme: 'dark' });
      listener.mockClear();
      hub.reset();
      expect(hub.state(prefsSchemas)).toBeNull();
      expect(listener).toHaveBeenCalledTimes(1);
      hub.patch(s.socket, { view: 'prefs', rev: 1, changes: { theme: 'light' } });
      expect(hub.state(prefsSchemas)).toBeNull();
    });
  });
});

describe('LiveViewController', () => {
  const host = () => ({ addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) }) satisfies ReactiveControllerHost;

  it('subscribes in hostConnected, re-renders its host on a patch, and unsubscribes in hostDisconnected', async () => {
    const hub = new LiveHub();
    const s = socketDouble();
    hub.attach(s.socket);
    const h = host();
    const c = new LiveViewController(h, boardSchemas, { hub });
    expect(h.addController).toHaveBeenCalledWith(c);
    expect(s.joins).toHaveLength(0);
    c.hostConnected();
    await s.answer(boardSchemas, board(1));
    expect(c.state).toEqual(board(1));
    expect(c.live).toBe(true);
    h.requestUpdate.mockClear();
    hub.patch(s.socket, { view: 'board', rev: 1, changes: { count: 2 } });
    expect(h.requestUpdate).toHaveBeenCalledTimes(1);
    expect(c.state?.count).toBe(2);
    c.hostDisconnected();
    expect(s.left).toEqual(['board']);
    hub.patch(s.socket, { view: 'board', rev: 2, changes: { count: 3 } });
    expect(h.requestUpdate).toHaveBeenCalledTimes(1);
  });

  it('finds the hub the page provides, through a bubbling request event', async () => {
    const hub = new LiveHub();
    const page = new EventTarget();
    const stop = provideLiveHub(page, hub);
    // A host element inside the page: its request event reaches the page.
    const element = Object.assign(new EventTarget(), host());
    element.dispatchEvent = (event: Event) => page.dispatchEvent(event);
    const c = new LiveViewController(element, prefsSchemas);
    c.hostConnected();
    const s = socketDouble();
    hub.attach(s.socket);
    await s.answer(prefsSchemas, { theme: 'light' });
    expect(c.state).toEqual({ theme: 'light' });
    stop();
    const orphan = new LiveViewController(Object.assign(new EventTarget(), host()), prefsSchemas);
    orphan.hostConnected();
    expect(orphan.state).toBeNull();
    expect(await orphan.send('setTheme', { theme: 'dark' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
