// Every handshake refusal, in the contract's order: Origin, then the session, then the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'cookie-signature';
import { createManualClock, noEvent, type ManualClock } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

let server: DashboardServer;
let clock: ManualClock;
beforeAll(async () => {
  clock = createManualClock();
  server = await startDashboard({ clock, env: { SESSION_IDLE_TIMEOUT_MS: '600000' } });
});
afterAll(() => server.close());

let n = 0;
const signedIn = async () => {
  const b = server.browser();
  expect((await b.register(`hank${++n}`, 'correct horse')).status).toBe(201);
  return b;
};

describe('a signed-in browser', () => {
  it('opens a socket with its cookie, CSRF token and own Origin', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    expect(tab.connected).toBe(true);
    tab.close();
  });

  it('opens a socket with no Origin header at all (not a cross-site page)', async () => {
    const b = await signedIn();
    const tab = await b.openTab({ origin: null });
    expect(tab.connected).toBe(true);
    tab.close();
  });

  it('each handshake is activity: it moves the idle deadline', async () => {
    const b = await signedIn();
    const before = (await b.session()).idleExpiresAt!;
    // Past the coalescing step (a sixtieth of the idle timeout, 10 s here), a handshake writes.
    clock.advance(60_000);
    const tab = await b.openTab();
    const ack = await tab.touch();
    expect(ack.ok && ack.idleExpiresAt).toBe(before + 60_000);
    tab.close();
  });

  it('activity closer together than the coalescing step writes and tells nothing new', async () => {
    const b = await signedIn();
    const tab = await b.openTab();
    const other = await b.openTab();
    clock.advance(60_000);
    const first = await tab.touch();
    clock.advance(1000);
    // A second tab connecting and a touch a second later leave the deadline where it is: no push.
    const third = await b.openTab();
    const again = await tab.touch();
    expect(again).toEqual(first);
    expect(await noEvent(other.socket, 'session:deadlines', 150)).toBe(true);
    for (const t of [tab, other, third]) t.close();
  });
});

describe('refused handshakes', () => {
  it('a foreign Origin is origin_not_allowed, checked before anything else', async () => {
    const b = await signedIn();
    expect(await b.refusedTab({ origin: 'https://evil.example' })).toBe('origin_not_allowed');
    expect(await server.browser().refusedTab({ origin: 'https://evil.example' })).toBe('origin_not_allowed');
  });

  it('Origin: null is origin_not_allowed', async () => {
    const b = await signedIn();
    expect(await b.refusedTab({ origin: 'null' })).toBe('origin_not_allowed');
  });

  it('an origin that only starts like an allowed one is refused (exact match)', async () => {
    const b = await signedIn();
    expect(await b.refusedTab({ origin: `${server.origin}.evil.example` })).toBe('origin_not_allowed');
  });

  it('no cookie is unauthenticated', async () => {
    expect(await server.browser().refusedTab({ csrfToken: 'whatever' })).toBe('unauthenticated');
  });

  it('a signed-out (anonymous) session is unauthenticated', async () => {
    const b = server.browser();
    await b.session();
    expect(await b.refusedTab()).toBe('unauthenticated');
  });

  it('a tampered cookie is unauthenticated', async () => {
    const b = await signedIn();
    const sid = b.sessionId!;
    const tampered = encodeURIComponent(`s:${sign(sid, 'not-the-server-secret-123456')}`);
    expect(await b.refusedTab({ cookie: `sid=${tampered}` })).toBe('unauthenticated');
    expect(await b.refusedTab({ cookie: `sid=${encodeURIComponent(`s:${sid}x.${'A'.repeat(43)}`)}` })).toBe('unauthenticated');
  });

  it('a cookie after logout is unauthenticated', async () => {
    const b = await signedIn();
    const cookie = b.cookieHeader;
    const token = b.csrfToken;
    await b.logout();
    expect(await b.refusedTab({ cookie, csrfToken: token })).toBe('unauthenticated');
  });

  it('a wrong or missing CSRF token is csrf_invalid', async () => {
    const b = await signedIn();
    expect(await b.refusedTab({ csrfToken: 'wrong' })).toBe('csrf_invalid');
    expect(await b.refusedTab({ csrfToken: undefined })).toBe('csrf_invalid');
  });

  it("another session's CSRF token is csrf_invalid", async () => {
    const a = await signedIn();
    const other = await signedIn();
    expect(await a.refusedTab({ csrfToken: other.csrfToken })).toBe('csrf_invalid');
  });

  it('a session past its deadline is session_expired', async () => {
    const b = await signedIn();
    clock.advance(600_001);
    expect(await b.refusedTab()).toBe('session_expired');
    // Still expired on the next try: the server remembers why it ended.
    expect(await b.refusedTab()).toBe('session_expired');
  });

  it('the session is checked before the token', async () => {
    expect(await server.browser().refusedTab({ csrfToken: 'wrong' })).toBe('unauthenticated');
  });
});
