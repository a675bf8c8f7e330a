// Ending a session reaches every socket of it, and only of it: logout, everywhere, revoke, password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent, noEvent, type TestBrowser } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

let server: DashboardServer;
beforeAll(async () => {
  server = await startDashboard();
});
afterAll(() => server.close());

let n = 0;
const PASSWORD = 'correct horse';
/** A user with `browsers` signed-in browsers (sessions). */
const user = async (browsers = 1): Promise<{ name: string; browsers: TestBrowser[] }> => {
  const name = `user${++n}`;
  const first = server.browser();
  expect((await first.register(name, PASSWORD)).status).toBe(201);
  const rest = await Promise.all(
    Array.from({ length: browsers - 1 }, async () => {
      const b = server.browser();
      expect((await b.login(name, PASSWORD)).status).toBe(200);
      return b;
    }),
  );
  return { name, browsers: [first, ...rest] };
};

describe('when a user signs out in tab 1 of three', () => {
  it("ends all three tabs with 'logout', but not the same user's other browser nor another user", async () => {
    const { browsers: [laptop, phone] } = await user(2);
    const { browsers: [bob] } = await user();
    const tabs = await Promise.all([laptop!.openTab(), laptop!.openTab(), laptop!.openTab()]);
    const phoneTab = await phone!.openTab();
    const bobTab = await bob!.openTab();
    const reasons = Promise.all(tabs.map((t) => t.ended()));
    const disconnects = Promise.all(tabs.map((t) => t.disconnected()));

    expect((await laptop!.logout()).status).toBe(204);
    expect(await reasons).toEqual(['logout', 'logout', 'logout']);
    expect(await disconnects).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);
    expect(await noEvent(phoneTab.socket, 'session:ended')).toBe(true);
    expect(phoneTab.connected && bobTab.connected).toBe(true);
    expect((await phoneTab.touch()).ok).toBe(true);
    expect((await bobTab.touch()).ok).toBe(true);
  });

  it('each tab gets session:ended exactly once', async () => {
    const { browsers: [b] } = await user();
    const tab = await b!.openTab();
    let count = 0;
    tab.socket.on('session:ended', () => count++);
    await b!.logout();
    await tab.disconnected();
    await b!.logout();
    expect(await noEvent(tab.socket, 'session:ended', 100)).toBe(true);
    expect(count).toBe(1);
  });
});

describe('when a user signs out everywhere', () => {
  it("ends every session of the user with 'logout_everywhere' and no other user's", async () => {
    const { browsers } = await user(3);
    const { browsers: [bob] } = await user();
    const tabs = await Promise.all(browsers.map((b) => b.openTab()));
    const bobTab = await bob!.openTab();
    const reasons = Promise.all(tabs.map((t) => t.ended()));
    expect((await browsers[1]!.logoutEverywhere()).status).toBe(204);
    expect(await reasons).toEqual(['logout_everywhere', 'logout_everywhere', 'logout_everywhere']);
    for (const b of browsers) expect((await b.session()).user).toBeNull();
    expect((await bobTab.touch()).ok).toBe(true);
  });

  it('answers 401 unauthenticated when signed out', async () => {
    const b = server.browser();
    await b.session();
    const res = await b.logoutEverywhere();
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });
});

describe('GET /api/sessions', () => {
  it('lists each session with an opaque id, the current one marked, and live socket counts', async () => {
    const { browsers: [laptop, phone] } = await user(2);
    await Promise.all([laptop!.openTab(), laptop!.openTab(), phone!.openTab()]);
    const { sessions } = await laptop!.sessions();
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s) => s.current)!;
    const other = sessions.find((s) => !s.current)!;
    expect(current.sockets).toBe(2);
    expect(other.sockets).toBe(1);
    expect(current).toEqual({ id: expect.any(String), current: true, createdAt: expect.any(Number), lastSeenAt: expect.any(Number), userAgent: 'tether-test-browser/1.0', ip: expect.stringMatching(/127\.0\.0\.1/), sockets: 2 });
    const cookies = [laptop!.cookies.get('sid')!, phone!.cookies.get('sid')!].map((c) => decodeURIComponent(c));
    for (const s of sessions) for (const c of cookies) {
      expect(c).not.toContain(s.id);
      expect(s.id).not.toContain(c.slice(2, 34));
    }
  });

  it('drops a session from the list once it ends', async () => {
    const { browsers: [laptop, phone] } = await user(2);
    await phone!.logout();
    expect((await laptop!.sessions()).sessions.map((s) => s.current)).toEqual([true]);
  });

  it('answers 401 when signed out', async () => {
    expect((await server.browser().request('GET', '/api/sessions')).status).toBe(401);
  });
});

describe('DELETE /api/sessions/:id', () => {
  it("ends another of the user's sessions with 'revoked'", async () => {
    const { browsers: [laptop, phone] } = await user(2);
    const phoneTab = await phone!.openTab();
    const laptopTab = await laptop!.openTab();
    const other = (await laptop!.sessions()).sessions.find((s) => !s.current)!;
    const ended = phoneTab.ended();
    expect((await laptop!.revoke(other.id)).status).toBe(204);
    expect(await ended).toBe('revoked');
    expect((await phone!.session()).user).toBeNull();
    expect((await laptopTab.touch()).ok).toBe(true);
  });

  it("ends the current session too, with 'revoked'", async () => {
    const { browsers: [laptop] } = await user();
    const tab = await laptop!.openTab();
    const current = (await laptop!.sessions()).sessions[0]!;
    const ended = tab.ended();
    expect((await laptop!.revoke(current.id)).status).toBe(204);
    expect(await ended).toBe('revoked');
    expect((await laptop!.session()).user).toBeNull();
  });

  it("answers 404 for another user's session or an unknown one, and nothing ends", async () => {
    const { browsers: [alice] } = await user();
    const { browsers: [bob] } = await user();
    const bobTab = await bob!.openTab();
    const bobSession = (await bob!.sessions()).sessions[0]!;
    const stolen = await alice!.revoke(bobSession.id);
    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await alice!.revoke('no-such-session')).status).toBe(404);
    expect((await alice!.revoke('%00%3Cscript%3E')).status).toBe(404);
    expect(await noEvent(bobTab.socket, 'session:ended', 100)).toBe(true);
    expect((await bobTab.touch()).ok).toBe(true);
  });

  it('answers 401 when signed out', async () => {
    const b = server.browser();
    await b.session();
    expect((await b.revoke('x')).status).toBe(401);
  });
});

describe('when a user changes their password', () => {
  it("ends the other sessions with 'password_changed' and renews this one under a new ID", async () => {
    const { name, browsers: [laptop, phone] } = await user(2);
    const laptopTab = await laptop!.openTab();
    const phoneTab = await phone!.openTab();
    const before = (await laptop!.sessions()).sessions.find((s) => s.current)!;
    const oldCookie = laptop!.cookieHeader;
    const oldToken = laptop!.csrfToken;
    const renewed = laptopTab.renewed();
    const renewedDisconnect = laptopTab.disconnected();
    const ended = phoneTab.ended();

    const res = await laptop!.changePassword(PASSWORD, 'new battery staple');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ csrfToken: expect.any(String) });
    expect(laptop!.csrfToken).not.toBe(oldToken);
    await renewed;
    expect(await renewedDisconnect).toBe('io server disconnect');
    expect(await ended).toBe('password_changed');

    // The old cookie is dead; the new one opens a socket and keeps createdAt, deadline and list id.
    expect(laptop!.cookieHeader).not.toBe(oldCookie);
    expect(await laptop!.refusedTab({ cookie: oldCookie, csrfToken: oldToken })).toBe('unauthenticated');
    const newTab = await laptop!.openTab();
    expect(newTab.connected).toBe(true);
    const after = (await laptop!.sessions()).sessions;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, current: true, createdAt: before.createdAt });

    expect((await server.browser().login(name, PASSWORD)).status).toBe(401);
    expect((await server.browser().login(name, 'new battery staple')).status).toBe(200);
  });

  it('a GET /api/session still carrying the renewed cookie gets 409 session_renewed and no new cookie', async () => {
    const { browsers: [b] } = await user();
    const oldCookie = b!.cookies.get('sid')!;
    await b!.changePassword(PASSWORD, 'new battery staple');
    const otherTab = server.browser();
    otherTab.cookies.set('sid', oldCookie);
    const res = await otherTab.request('GET', '/api/session');
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string } }).error.code).toBe('session_renewed');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('keeps the absolute deadline across the renewal', async () => {
    const { browsers: [b] } = await user();
    const before = await b!.session();
    await b!.changePassword(PASSWORD, 'new battery staple');
    expect((await b!.session()).absoluteExpiresAt).toBe(before.absoluteExpiresAt);
  });

  it('refuses a wrong current password with 401 invalid_credentials and changes nothing', async () => {
    const { name, browsers: [b] } = await user();
    const res = await b!.changePassword('wrong horse!', 'new battery staple');
    expect(res.status).toBe(401);
    expect((res.body as { error: { code: string } }).error.code).toBe('invalid_credentials');
    expect((await server.browser().login(name, PASSWORD)).status).toBe(200);
  });

  it('refuses a too short new password with 400 invalid_input', async () => {
    const { browsers: [b] } = await user();
    expect((await b!.changePassword(PASSWORD, 'short')).status).toBe(400);
  });

  it('answers 401 unauthenticated when signed out', async () => {
    const b = server.browser();
    await b.session();
    expect((await b.changePassword(PASSWORD, 'new battery staple')).status).toBe(401);
  });
});

describe('after a session ended', () => {
  it('no event from its sockets is accepted, even one already in flight', async () => {
    const { browsers: [b] } = await user();
    const tab = await b!.openTab();
    // Queue touches, then end the session before the server has answered them.
    const inFlight = Array.from({ length: 5 }, () => tab.touch(1000).catch(() => ({ ok: false as const, lost: true })));
    const sid = b!.sessionId!;
    await server.tether.lifecycle.end(sid, 'revoked');
    await Promise.all(inFlight);
    // Touches that were in flight when the session ended did not revive it.
    expect(await server.tether.stores.store.get(sid)).toBeNull();
    expect(await b!.refusedTab()).toBe('unauthenticated');
    expect((await b!.request('GET', '/api/sessions')).status).toBe(401);
  });

  it('a touch that arrives after the end gets an error ack and never revives the store entry', async () => {
    const { browsers: [b] } = await user();
    const tab = await b!.openTab();
    const sid = b!.sessionId!;
    // End on this node without disconnecting the socket yet: simulate the race window directly.
    server.tether.stores.store.tombstones.add(sid, 'logout');
    const ack = await tab.touch();
    expect(ack).toEqual({ ok: false, error: { code: 'session_ended', message: expect.any(String) } });
    await server.tether.lifecycle.end(sid, 'logout');
    expect(await server.tether.stores.store.get(sid)).toBeNull();
  });
});

describe("the user's list of sessions", () => {
  it('is announced as changed to their tabs when a session starts, a tab opens, or a session ends', async () => {
    const { name, browsers: [laptop] } = await user();
    const tab = await laptop!.openTab();
    const changes: number[] = [];
    tab.socket.on('sessions:changed', () => changes.push(Date.now()));
    const phone = server.browser();
    const started = nextEvent(tab.socket, 'sessions:changed');
    await phone.login(name, PASSWORD);
    await started;
    const opened = nextEvent(tab.socket, 'sessions:changed');
    await phone.openTab();
    await opened;
    const ended = nextEvent(tab.socket, 'sessions:changed');
    await phone.logout();
    await ended;
    expect(changes.length).toBeGreaterThanOrEqual(3);
    // Another user signing in is none of this user's business.
    await user();
    expect(await noEvent(tab.socket, 'sessions:changed', 150)).toBe(true);
  });
});
