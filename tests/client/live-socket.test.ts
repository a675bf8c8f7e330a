// The live socket: retries only retryable refusals with the injected backoff, never reconnects after session:ended.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLiveSocket, type LiveSocketHandlers } from '../../client/toolkit/index.js';
import { FakeSocket, refusal, viTimers } from './fakes.js';
import { boardSchemas } from '../../shared/views/board.js';
import { prefsSchemas } from '../../shared/views/prefs.js';
import { statusSchemas } from '../../shared/views/status.js';

function setup(backoff = (tries: number) => tries * 100) {
  const fake = new FakeSocket();
  const handlers = {
    onConnect: vi.fn<LiveSocketHandlers['onConnect']>(),
    onEnded: vi.fn<LiveSocketHandlers['onEnded']>(),
    onRenewed: vi.fn<LiveSocketHandlers['onRenewed']>(),
    onDeadlines: vi.fn<LiveSocketHandlers['onDeadlines']>(),
    onSessionsChanged: vi.fn<LiveSocketHandlers['onSessionsChanged']>(),
    onRefused: vi.fn<LiveSocketHandlers['onRefused']>(),
    onPatch: vi.fn<LiveSocketHandlers['onPatch']>(),
    onDisconnect: vi.fn<LiveSocketHandlers['onDisconnect']>(),
  };
  const open = vi.fn(() => fake.asSocket());
  const live = openLiveSocket({ csrfToken: 'tok', backoff, timers: viTimers, open, ...handlers });
  return { fake, handlers, open, live };
}

describe('openLiveSocket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands the CSRF token to the handshake', () => {
    const { open } = setup();
    expect(open).toHaveBeenCalledWith({ csrfToken: 'tok' });
  });

  describe('when the server refuses with a retryable reason', () => {
    it('reconnects after backoff(tries), counting tries until a connect', () => {
      const { fake, handlers } = setup();
      fake.active = false; // a middleware refusal leaves the socket inactive
      fake.fire('connect_error', refusal('unavailable'));
      vi.advanceTimersByTime(99);
      expect(fake.connects).toBe(0);
      vi.advanceTimersByTime(1);
      expect(fake.connects).toBe(1);
      fake.active = false;
      fake.fire('connect_error', refusal('rate_limited'));
      vi.advanceTimersByTime(199);
      expect(fake.connects).toBe(1);
      vi.advanceTimersByTime(1);
      expect(fake.connects).toBe(2);
      fake.fire('connect');
      expect(handlers.onConnect).toHaveBeenCalledTimes(1);
      // After a connect the count starts again.
      fake.active = false;
      fake.fire('connect_error', refusal('unavailable'));
      vi.advanceTimersByTime(100);
      expect(fake.connects).toBe(3);
    });
  });

  describe('when the server refuses for good', () => {
    it.each(['unauthenticated', 'csrf_invalid', 'origin_not_allowed', 'session_expired', 'too_many_sockets'])('%s: closes and reports it, no retry', (code) => {
      const { fake, handlers, live } = setup();
      fake.active = false;
      fake.fire('connect_error', refusal(code));
      expect(handlers.onRefused).toHaveBeenCalledWith(code);
      expect(fake.listenerCount()).toBe(0);
      vi.advanceTimersByTime(60_000);
      expect(fake.connects).toBe(0);
      expect(live.connected).toBe(false);
    });
  });

  it('retries transport errors itself, with the backoff (the Manager does not reconnect)', () => {
    const { fake, handlers } = setup();
    fake.fire('connect_error', new Error('websocket error'));
    vi.advanceTimersByTime(99);
    expect(fake.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fake.connects).toBe(1);
    expect(handlers.onRefused).not.toHaveBeenCalled();
  });

  describe('when the connection drops', () => {
    it('reports it and reconnects after backoff(tries), the count growing until a connect', () => {
      const { fake, handlers } = setup();
      fake.fire('connect');
      fake.fire('disconnect', 'transport close');
      expect(handlers.onDisconnect).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(100);
      expect(fake.connects).toBe(1);
      fake.fire('connect_error', new Error('websocket error'));
      vi.advanceTimersByTime(199);
      expect(fake.connects).toBe(1);
      vi.advanceTimersByTime(1);
      expect(fake.connects).toBe(2);
      fake.fire('connect');
      expect(handlers.onConnect).toHaveBeenCalledTimes(2);
    });
  });

  describe('when the session ends', () => {
    it('reports the reason once, removes its listeners, disconnects and never reconnects', () => {
      const { fake, handlers } = setup();
      fake.fire('connect');
      fake.fire('session:ended', { reason: 'revoked' });
      fake.fire('session:ended', { reason: 'revoked' });
      fake.fire('disconnect', 'io server disconnect');
      vi.advanceTimersByTime(60_000);
      expect(handlers.onEnded).toHaveBeenCalledTimes(1);
      expect(handlers.onEnded).toHaveBeenCalledWith('revoked', undefined);
      expect(fake.listenerCount()).toBe(0);
      expect(fake.disconnects).toBe(1);
      expect(fake.connects).toBe(0);
    });
    it('passes on which deadline passed with expired, and drops a deadline it does not know (keeping the reason)', () => {
      const first = setup();
      first.fake.fire('session:ended', { reason: 'expired', deadline: 'absolute' });
      expect(first.handlers.onEnded).toHaveBeenCalledWith('expired', 'absolute');
      const second = setup();
      second.fake.fire('session:ended', { reason: 'expired', deadline: 'lunar' });
      expect(second.handlers.onEnded).toHaveBeenCalledWith('expired', undefined);
    });
    it('reports an unknown reason as null', () => {
      const { fake, handlers } = setup();
      fake.fire('session:ended', { reason: 'cosmic_rays' });
      expect(handlers.onEnded).toHaveBeenCalledWith(null);
    });
  });

  it('closes on session:renewed and lets the owner reconnect with the new token', () => {
    const { fake, handlers } = setup();
    fake.fire('session:renewed');
    expect(handlers.onRenewed).toHaveBeenCalledTimes(1);
    expect(fake.listenerCount()).toBe(0);
  });

  it('checks pushed deadlines and passes on sessions:changed', () => {
    const { fake, handlers } = setup();
    fake.fire('session:deadlines', { idleExpiresAt: 1, absoluteExpiresAt: 2 });
    fake.fire('session:deadlines', { idleExpiresAt: 'soon' });
    fake.fire('sessions:changed');
    expect(handlers.onDeadlines).toHaveBeenCalledTimes(1);
    expect(handlers.onDeadlines).toHaveBeenCalledWith({ idleExpiresAt: 1, absoluteExpiresAt: 2 });
    expect(handlers.onSessionsChanged).toHaveBeenCalledTimes(1);
  });

  it('retries after the server disconnects without saying why', () => {
    const { fake } = setup();
    fake.fire('connect');
    fake.fire('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(100);
    expect(fake.connects).toBe(1);
  });

  describe('after close() (a newer connect epoch)', () => {
    it('ignores every late event and cancels a pending retry', () => {
      const { fake, handlers, live } = setup();
      fake.active = false;
      fake.fire('connect_error', refusal('unavailable'));
      live.close();
      vi.advanceTimersByTime(60_000);
      expect(fake.connects).toBe(0);
      expect(fake.listenerCount()).toBe(0);
      fake.fire('session:ended', { reason: 'logout' });
      expect(handlers.onEnded).not.toHaveBeenCalled();
    });
  });

  describe('live views', () => {
    it('joins with live:join and resolves the checked state, or null for a malformed one', async () => {
      const { fake, live } = setup();
      fake.fire('connect');
      const joined = live.join(boardSchemas);
      expect(fake.emitted[0]).toMatchObject({ event: 'live:join', payload: { view: 'board' } });
      fake.emitted[0]?.ack(null, { ok: true, view: 'board', rev: 3, state: { count: 2, lastBy: 'ann', lastAt: 7 } });
      await expect(joined).resolves.toEqual({ ok: true, rev: 3, state: { count: 2, lastBy: 'ann', lastAt: 7 } });
      const bad = live.join(boardSchemas);
      fake.emitted[1]?.ack(null, { ok: true, view: 'board', rev: 0, state: { count: 'two' } });
      await expect(bad).resolves.toBeNull();
      const other = live.join(prefsSchemas);
      fake.emitted[2]?.ack(null, { ok: true, view: 'board', rev: 0, state: { count: 1, lastBy: null, lastAt: null } });
      await expect(other).resolves.toBeNull(); // the reply of another view
    });

    it('passes on error acks as they are', async () => {
      const { fake, live } = setup();
      fake.fire('connect');
      const sent = live.send({ view: 'board', event: 'bump', payload: { by: 1 } });
      expect(fake.emitted[0]).toMatchObject({ event: 'live:event', payload: { view: 'board', event: 'bump', payload: { by: 1 } } });
      fake.emitted[0]?.ack(null, { ok: false, error: { code: 'rate_limited', message: 'slow down' } });
      await expect(sent).resolves.toEqual({ ok: false, error: { code: 'rate_limited', message: 'slow down' } });
    });

    it('checks the patch envelope; the hub checks the changes against the view (it knows the view)', () => {
      const { fake, handlers } = setup();
      fake.fire('live:patch', { view: 'board', rev: 1, changes: { count: 5 } });
      fake.fire('live:patch', { view: 'board', rev: '2', changes: { count: 5 } });
      fake.fire('live:patch', { view: 7, rev: 3, changes: {} });
      fake.fire('live:patch', { view: 'prefs', rev: 4, changes: null });
      fake.fire('live:patch', { view: 'prefs', rev: 5, changes: { theme: 'dark' } });
      expect(handlers.onPatch.mock.calls).toEqual([[{ view: 'board', rev: 1, changes: { count: 5 } }], [{ view: 'prefs', rev: 5, changes: { theme: 'dark' } }]]);
    });

    it('resolves null without a connection, and leaves only when connected', async () => {
      const { fake, live } = setup();
      await expect(live.join(statusSchemas)).resolves.toBeNull();
      await expect(live.send({ view: 'prefs', event: 'setTheme', payload: { theme: 'dark' } })).resolves.toBeNull();
      live.leave('status');
      expect(fake.emitted).toHaveLength(0);
      fake.fire('connect');
      live.leave('status');
      expect(fake.emitted[0]).toMatchObject({ event: 'live:leave', payload: { view: 'status' } });
    });
  });

  describe('touch', () => {
    it('emits session:touch {} and resolves the checked ack', async () => {
      const { fake, live } = setup();
      fake.fire('connect');
      const pending = live.touch();
      const sent = fake.emitted[0];
      expect(sent?.event).toBe('session:touch');
      expect(sent?.payload).toEqual({});
      sent?.ack(null, { ok: true, idleExpiresAt: 5, absoluteExpiresAt: 9 });
      await expect(pending).resolves.toEqual({ ok: true, idleExpiresAt: 5, absoluteExpiresAt: 9 });
    });
    it('resolves null when not connected or on timeout', async () => {
      const { fake, live } = setup();
      await expect(live.touch()).resolves.toBeNull();
      fake.fire('connect');
      const pending = live.touch();
      fake.emitted[0]?.ack(new Error('operation has timed out'), undefined);
      await expect(pending).resolves.toBeNull();
    });
  });
});
