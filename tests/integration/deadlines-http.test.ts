// Idle and absolute deadlines enforced over HTTP, with an injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

const IDLE = 10 * 60_000;
const ABSOLUTE = 60 * 60_000;
let server: DashboardServer;
let clock: ManualClock;
beforeAll(async () => {
  clock = createManualClock();
  server = await startDashboard({ clock, env: { SESSION_IDLE_TIMEOUT_MS: String(IDLE), SESSION_ABSOLUTE_TIMEOUT_MS: String(ABSOLUTE) } });
});
afterAll(() => server.close());

let n = 0;
const signedIn = async () => {
  const b = server.browser();
  expect((await b.register(`dora${++n}`, 'correct horse')).status).toBe(201);
  return b;
};
const expiresOf = (setCookie: string[]): string | undefined => {
  const line = setCookie.find((c) => c.startsWith('sid='));
  return line ? /Expires=([^;]+)/.exec(line)?.[1] : undefined;
};

describe('when a signed-in session is idle past its idle timeout', () => {
  it('is destroyed on the next request and treated as signed out', async () => {
    const b = await signedIn();
    const cookie = b.cookies.get('sid')!;
    clock.advance(IDLE + 1);
    expect((await b.request('GET', '/api/sessions')).status).toBe(401);
    const replay = server.browser();
    replay.cookies.set('sid', cookie);
    expect((await replay.session()).user).toBeNull();
  });
});

describe('when requests keep coming', () => {
  it('each request moves the idle deadline forward', async () => {
    const b = await signedIn();
    const first = await b.session();
    clock.advance(IDLE - 1000);
    const second = await b.session();
    expect(second.user).not.toBeNull();
    expect(second.idleExpiresAt).toBe(first.idleExpiresAt! + IDLE - 1000);
    clock.advance(IDLE - 1000);
    expect((await b.session()).user).not.toBeNull();
  });

  it('a background GET (a refetch after a push) does not count as activity', async () => {
    const b = await signedIn();
    const first = await b.session();
    clock.advance(1000);
    const res = await b.request('GET', '/api/sessions', { headers: { 'x-tether-background': '1' } });
    expect(res.status).toBe(200);
    clock.advance(1000);
    const bg = await b.request<{ idleExpiresAt: number }>('GET', '/api/session', { headers: { 'x-tether-background': '1' } });
    expect(bg.body.idleExpiresAt).toBe(first.idleExpiresAt);
  });

  it('the absolute deadline never moves and ends the session despite activity', async () => {
    const b = await signedIn();
    const first = await b.session();
    for (let t = 0; t < ABSOLUTE - IDLE; t += IDLE / 2) {
      clock.advance(IDLE / 2);
      const s = await b.session();
      expect(s.user).not.toBeNull();
      expect(s.absoluteExpiresAt).toBe(first.absoluteExpiresAt);
    }
    clock.advance(first.absoluteExpiresAt! - clock.now());
    expect((await b.session()).user).toBeNull();
  });

  it("the cookie's Expires stays the absolute deadline: it never slides", async () => {
    const b = server.browser();
    await b.session();
    const res = await b.request('POST', '/api/register', { body: { username: `erin${++n}`, password: 'correct horse' } });
    const original = expiresOf(res.headers.getSetCookie());
    expect(original).toBeDefined();
    clock.advance(IDLE / 2);
    const later = await b.request('GET', '/api/session');
    expect(expiresOf(later.headers.getSetCookie())).toBe(original);
    expect(Date.parse(original!)).toBe(Math.floor((later.body as { absoluteExpiresAt: number }).absoluteExpiresAt / 1000) * 1000);
  });
});

describe('when the idle timeout is longer than the absolute one', () => {
  it('the absolute deadline decides', async () => {
    const s = await startDashboard({ clock, env: { SESSION_IDLE_TIMEOUT_MS: '7200000', SESSION_ABSOLUTE_TIMEOUT_MS: '3600000' } });
    try {
      const b = s.browser();
      await b.register('zoe', 'correct horse');
      clock.advance(3_600_000);
      expect((await b.session()).user).toBeNull();
    } finally {
      await s.close();
    }
  });
});
