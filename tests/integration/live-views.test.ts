// Live views on the session: server-owned state, patches of changed keys, the session written from a socket.
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSchemas, LiveStateOf } from '../../shared/live.js';
import { createManualClock, nextEvent, noEvent, type ManualClock, type TestTab } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { statusSchemas } from '../../shared/views/status.js';
import { presenceSchemas } from '../../shared/views/presence.js';
import { prefsSchemas } from '../../shared/views/prefs.js';
import { boardSchemas } from '../../shared/views/board.js';

let server: DashboardServer;
let clock: ManualClock;
beforeAll(async () => {
  clock = createManualClock();
  server = await startDashboard({ clock });
});
afterAll(() => server.close());

/** Resolves with the first patch of `view` that satisfies `check` (patches arrive per change). */
async function until<D extends LiveSchemas>(tab: TestTab, view: D, check: (p: Partial<LiveStateOf<D>>) => boolean, timeoutMs = 2000): Promise<Partial<LiveStateOf<D>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await tab.patch(view, Math.max(1, deadline - Date.now()));
    if (check(p)) return p;
  }
}

let n = 0;
const signedIn = async (name = `lena${++n}`) => {
  const b = server.browser();
  expect((await b.register(name, 'correct horse')).status).toBe(201);
  return b;
};

describe('the shared board', () => {
  it("one user's change reaches another user's tab at once, as a patch of the changed keys", async () => {
    const alice = await (await signedIn('alice_b')).openTab();
    const bob = await (await signedIn('bob_b')).openTab();
    const start = await alice.join(boardSchemas);
    await bob.join(boardSchemas);
    const patch = bob.patch(boardSchemas);
    expect(await alice.liveEvent(boardSchemas, 'bump', { by: 1 })).toEqual({ ok: true });
    expect(await patch).toEqual({ count: start.count + 1, lastBy: 'alice_b', lastAt: clock.now() });
    // A reset from bob: only what changed travels.
    const second = alice.patch(boardSchemas);
    await bob.liveEvent(boardSchemas, 'reset', {});
    const changes = await second;
    expect(changes).toMatchObject({ count: 0, lastBy: 'bob_b' });
  });

  it('a bad payload gets invalid_input and changes nothing', async () => {
    const tab = await (await signedIn()).openTab();
    const before = await tab.join(boardSchemas);
    const raw = tab.socket as unknown as Socket;
    for (const payload of [{ by: 5 }, { by: '1' }, null, [], { by: 1, extra: true }]) {
      const ack: unknown = await raw.timeout(2000).emitWithAck('live:event', { view: 'board', event: 'bump', payload });
      expect(ack).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.any(String) } });
    }
    const again = await (await (await signedIn()).openTab()).join(boardSchemas);
    expect(again.count).toBe(before.count);
  });

  it('an unknown event of a view is unknown_event; an event before joining is invalid_input', async () => {
    const tab = await (await signedIn()).openTab();
    const raw = tab.socket as unknown as Socket;
    expect(await raw.timeout(2000).emitWithAck('live:event', { view: 'board', event: 'bump', payload: { by: 1 } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await tab.join(boardSchemas);
    expect(await raw.timeout(2000).emitWithAck('live:event', { view: 'board', event: '__proto__', payload: {} })).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    expect(await raw.timeout(2000).emitWithAck('live:join', { view: 'admin' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});

describe('presence', () => {
  it('shows a second user when they open the dashboard, with their tab count, and drops them when they leave', async () => {
    const carol = await (await signedIn('carol_p')).openTab();
    const first = await carol.join(presenceSchemas);
    expect(first.online.find((u) => u.username === 'carol_p')?.tabs).toBe(1);
    const dave = await signedIn('dave_p');
    const daveTabs = await Promise.all([dave.openTab(), dave.openTab()]);
    const twoTabs = until(carol, presenceSchemas, (p) => p.online?.find((u) => u.username === 'dave_p')?.tabs === 2);
    await daveTabs[0]!.join(presenceSchemas);
    await daveTabs[1]!.join(presenceSchemas);
    await twoTabs;
    const gone = carol.patch(presenceSchemas);
    await dave.logout();
    const after = await gone;
    expect(after.online?.some((u) => u.username === 'dave_p')).toBe(false);
  });
});

describe('the theme preference', () => {
  it('written from one tab is saved in the session: the other tab and GET /api/session see it', async () => {
    const b = await signedIn();
    const one = await b.openTab();
    const two = await b.openTab();
    expect(await one.join(prefsSchemas)).toEqual({ theme: 'system' });
    await two.join(prefsSchemas);
    const patch = two.patch(prefsSchemas);
    expect(await one.liveEvent(prefsSchemas, 'setTheme', { theme: 'dark' })).toEqual({ ok: true });
    expect(await patch).toEqual({ theme: 'dark' });
    expect((await b.session()).preferences).toEqual({ theme: 'dark' });
  });

  it("is the session's own: another session of the same user keeps its theme", async () => {
    const laptop = await signedIn('theo_t');
    const phone = server.browser();
    await phone.login('theo_t', 'correct horse');
    const laptopTab = await laptop.openTab();
    const phoneTab = await phone.openTab();
    await laptopTab.join(prefsSchemas);
    await phoneTab.join(prefsSchemas);
    await laptopTab.liveEvent(prefsSchemas, 'setTheme', { theme: 'light' });
    expect(await noEvent(phoneTab.socket, 'live:patch', 150)).toBe(true);
    expect((await phone.session()).preferences).toEqual({ theme: 'system' });
  });

  it('is not lost to a touch from the same click (two writes of one session in flight at once)', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    await tab.join(prefsSchemas);
    await Promise.all([tab.touch(), tab.liveEvent(prefsSchemas, 'setTheme', { theme: 'dark' }), tab.touch()]);
    expect((await b.session()).preferences).toEqual({ theme: 'dark' });
  });

  it('survives a password change (the renewed session keeps it)', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    await tab.join(prefsSchemas);
    await tab.liveEvent(prefsSchemas, 'setTheme', { theme: 'dark' });
    await b.changePassword('correct horse', 'new battery staple');
    expect((await b.session()).preferences).toEqual({ theme: 'dark' });
  });
});

describe('server status', () => {
  it('pushes this node’s figures while a tab shows it, and stops its timer when none does', async () => {
    const tab = await (await signedIn()).openTab();
    const state = await tab.join(statusSchemas);
    expect(state).toEqual({ sockets: expect.any(Number), sessions: expect.any(Number), eventLoopDelayMs: expect.any(Number), heapUsedMb: expect.any(Number), rssMb: expect.any(Number), uptimeS: expect.any(Number), at: clock.now() });
    expect(state.sockets).toBeGreaterThan(0);
    const tick = tab.patch(statusSchemas);
    clock.advance(2000);
    expect((await tick).at).toBe(clock.now());
    const pending = clock.pending;
    const watched = server.tether.lifecycle.stats().sessionsWatched;
    const serverSide = server.tether.io.of('/').sockets.get(tab.socket.id!)!;
    const gone = nextEvent(serverSide, 'disconnect');
    tab.close();
    await gone;
    // Its session is no longer watched for deadlines, and the status ticker is cleared (the
    // deadline timer is one for all sessions, so it stays while other sessions have tabs).
    expect(server.tether.lifecycle.stats().sessionsWatched).toBe(watched - 1);
    expect(clock.pending).toBeLessThanOrEqual(pending - 1);
  });
});

describe('after the session ends', () => {
  it('its live instances are gone and no patch reaches its sockets', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    await tab.join(boardSchemas);
    const before = server.tether.live.size;
    await b.logout();
    await tab.disconnected();
    await new Promise<void>((r) => setImmediate(r));
    expect(server.tether.live.size).toBe(before - 1);
  });
});
