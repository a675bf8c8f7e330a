// Pushed expiry: sockets hear `session:ended {reason:'expired'}` with no request from the client.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, noEvent, type ManualClock } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

const IDLE = 60_000;
const ABSOLUTE = 300_000;
let n = 0;

describe('with an injected clock', () => {
  let server: DashboardServer;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = createManualClock();
    server = await startDashboard({ clock, env: { SESSION_IDLE_TIMEOUT_MS: String(IDLE), SESSION_ABSOLUTE_TIMEOUT_MS: String(ABSOLUTE) } });
  });
  afterAll(() => server.close());

  const signedIn = async () => {
    const b = server.browser();
    expect((await b.register(`ida${++n}`, 'correct horse')).status).toBe(201);
    return b;
  };

  describe('when nobody touches an open tab', () => {
    it("the idle deadline ends the session: every tab gets 'expired' and the session is gone", async () => {
      const b = await signedIn();
      const tabs = await Promise.all([b.openTab(), b.openTab()]);
      const ended = Promise.all(tabs.map((t) => t.ended()));
      clock.advance(IDLE);
      expect(await ended).toEqual(['expired', 'expired']);
      expect(await b.refusedTab()).toBe('session_expired');
      expect((await b.session()).user).toBeNull();
    });
  });

  describe('when a tab sends session:touch', () => {
    it('the ack carries the new idle deadline and the absolute one, and the session lives on', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      const other = await b.openTab();
      const start = await b.session();
      clock.advance(IDLE - 1000);
      const pushed = other.deadlines();
      const ack = await tab.touch();
      expect(ack).toEqual({ ok: true, idleExpiresAt: clock.now() + IDLE, absoluteExpiresAt: start.absoluteExpiresAt });
      // The other tab of the session hears the moved deadline (for its session clock).
      expect(await pushed).toEqual({ idleExpiresAt: clock.now() + IDLE, absoluteExpiresAt: start.absoluteExpiresAt });
      clock.advance(1000);
      expect(await noEvent(tab.socket, 'session:ended', 100)).toBe(true);
      // The touch wrote the store: HTTP sees the moved deadline too, without any cookie refresh.
      expect((await b.session()).idleExpiresAt).toBeGreaterThan(start.idleExpiresAt!);
    });

    it('accepts no payload at all, as well as {}', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      // Untyped on purpose: the typed map always sends a payload.
      const raw = tab.socket as unknown as Socket;
      const ack = (await raw.timeout(2000).emitWithAck('session:touch')) as { ok: boolean };
      expect(ack.ok).toBe(true);
    });

    it('refuses a payload that is not {} with invalid_input', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      const raw = tab.socket as unknown as Socket;
      const ack: unknown = await raw.timeout(2000).emitWithAck('session:touch', { extend: 999999 });
      expect(ack).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.any(String) } });
    });

    it('the absolute deadline still ends the session despite touches', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      const ended = tab.ended();
      const { absoluteExpiresAt } = await b.session();
      while (clock.now() + IDLE / 2 < absoluteExpiresAt!) {
        clock.advance(IDLE / 2);
        const ack = await tab.touch();
        expect(ack.ok && ack.absoluteExpiresAt).toBe(absoluteExpiresAt);
      }
      clock.advance(absoluteExpiresAt! - clock.now());
      expect(await ended).toBe('expired');
    });
  });

  describe('when only HTTP requests show activity', () => {
    it('they move the idle deadline for the open tabs too', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      clock.advance(IDLE - 1000);
      await b.session();
      clock.advance(IDLE - 1000);
      expect(await noEvent(tab.socket, 'session:ended', 100)).toBe(true);
      const ended = tab.ended();
      clock.advance(1000);
      expect(await ended).toBe('expired');
    });
  });

  describe('server pushes', () => {
    it('never move the idle deadline', async () => {
      const b = await signedIn();
      const tab = await b.openTab();
      const other = await b.openTab();
      const before = await server.tether.stores.store.get(b.sessionId!);
      clock.advance(1000);
      other.close();
      await other.disconnected();
      const after = await server.tether.stores.store.get(b.sessionId!);
      expect(after?.idleExpiresAt).toBe(before?.idleExpiresAt);
      tab.close();
    });
  });

  it('leaves no timer behind once the last tab of a session closes', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    expect(server.tether.lifecycle.stats().sessionsWatched).toBeGreaterThan(0);
    const before = server.tether.lifecycle.stats().sessionsWatched;
    tab.close();
    await new Promise<void>((resolve) => server.tether.io.of('/').adapter.once('leave-room', () => resolve()));
    await new Promise<void>((r) => setImmediate(r));
    expect(server.tether.lifecycle.stats().sessionsWatched).toBe(before - 1);
  });
});

describe('with real short timeouts, end to end', () => {
  it("an untouched tab gets 'expired' within a second of its idle deadline, while a touched one lives", async () => {
    const server = await startDashboard({ env: { SESSION_IDLE_TIMEOUT_MS: '1200' } });
    try {
      const idle = server.browser();
      await idle.register('idle1', 'correct horse');
      const busy = server.browser();
      await busy.register('busy1', 'correct horse');
      const idleTab = await idle.openTab();
      const busyTab = await busy.openTab();
      const { idleExpiresAt } = await idle.session();
      const busyTouches = setInterval(() => void busyTab.touch().catch(() => {}), 300);
      try {
        expect(await idleTab.ended(3000)).toBe('expired');
        expect(Date.now() - idleExpiresAt!).toBeLessThan(1000);
        expect(busyTab.connected).toBe(true);
        expect((await busyTab.touch()).ok).toBe(true);
      } finally {
        clearInterval(busyTouches);
      }
    } finally {
      await server.close();
    }
  });
});
