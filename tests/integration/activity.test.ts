// The activity history through the real server (SQLite): what is recorded, paging, 401, pruning, live pushes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityItem, ActivityPage } from '../../shared/account.js';
import { createManualClock, type TestBrowser, type TestTab } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';

const PASSWORD = 'correct horse battery';
const clock = createManualClock(Date.now());
let server: DashboardServer;
beforeAll(async () => {
  server = await startDashboard({ clock });
});
afterAll(() => server.close());

let n = 0;
const uniqueName = (base: string): string => `${base}${++n}${Math.random().toString(36).slice(2, 6)}`;

const activity = async (b: TestBrowser, before?: string): Promise<ActivityPage> => {
  const res = await b.request<ActivityPage>('GET', `/api/activity${before ? `?before=${before}` : ''}`);
  expect(res.status).toBe(200);
  return res.body;
};
const kinds = (page: ActivityPage): string[] => page.items.map((i) => i.kind);
/** Resolves at the next `activity:changed` push to this tab. */
const nextChange = (tab: TestTab): Promise<void> => new Promise((resolve) => tab.socket.once('activity:changed', () => resolve()));

const registered = async (name = uniqueName('act')): Promise<{ user: string; laptop: TestBrowser }> => {
  const laptop = server.browser('Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0');
  expect((await laptop.register(name, PASSWORD)).status).toBe(201);
  return { user: name, laptop };
};

describe('when signed out', () => {
  it('GET /api/activity answers 401 unauthenticated', async () => {
    const res = await server.browser().request<{ error: { code: string } }>('GET', '/api/activity');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('when a user signs in, fails, revokes, changes the password and signs out', () => {
  it('records each, newest first, with time, IP, user agent and public handles only', async () => {
    const { user, laptop } = await registered();
    const phone = server.browser('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1');
    expect((await phone.login(user, 'wrong password 1')).status).toBe(401);
    expect((await phone.login(user, 'wrong password 2')).status).toBe(401);
    expect((await phone.login(user, 'wrong password 3')).status).toBe(401);
    expect((await phone.login(user, PASSWORD)).status).toBe(200);
    const [mine, theirs] = (await laptop.sessions()).sessions.sort((a, b) => Number(b.current) - Number(a.current));
    expect((await laptop.revoke(theirs!.id)).status).toBe(204);
    expect((await laptop.changePassword(PASSWORD, 'another horse battery')).status).toBe(200);
    expect((await laptop.logoutEverywhere()).status).toBe(204);
    const again = server.browser('curl/8.0');
    expect((await again.login(user, 'another horse battery')).status).toBe(200);
    expect((await again.logout()).status).toBe(204);
    const check = server.browser();
    expect((await check.login(user, 'another horse battery')).status).toBe(200);

    const page = await activity(check);
    expect(kinds(page)).toEqual(['signed_in', 'signed_out', 'signed_in', 'signed_out_everywhere', 'password_changed', 'revoked', 'signed_in', 'sign_in_failed']);
    const byKind = (kind: string): ActivityItem => page.items.find((i) => i.kind === kind)!;
    // Three guesses, one row, counted.
    expect(byKind('sign_in_failed')).toMatchObject({ detail: { count: 3 }, userAgent: expect.stringContaining('iPhone'), ip: expect.any(String) });
    expect(byKind('revoked').detail).toEqual({ session: theirs!.id, by: mine!.id });
    expect(byKind('revoked').userAgent).toContain('Firefox');
    expect(page.items.every((i) => typeof i.at === 'number' && i.at > 0 && typeof i.id === 'string')).toBe(true);
    expect(page.next).toBeNull();

    // Nothing secret in the database: no session ID, CSRF token or cookie value.
    const file = readFileSync(join(server.dataDir, 'tether.sqlite')).toString('latin1') + readFileSync(join(server.dataDir, 'tether.sqlite-wal')).toString('latin1');
    for (const b of [laptop, phone, again, check]) {
      for (const secret of [b.sessionId, b.cookies.get('sid'), b.csrfToken]) if (secret) expect(file).not.toContain(secret);
    }
  });
});

describe('when the history is longer than a page', () => {
  it('pages newest first with ?before=CURSOR until next is null; a bad cursor is 400', async () => {
    const { user, laptop } = await registered();
    for (let i = 0; i < 12; i += 1) {
      const b = server.browser();
      expect((await b.login(user, PASSWORD)).status).toBe(200);
      expect((await b.logout()).status).toBe(204);
    }
    const first = await activity(laptop);
    expect(first.items).toHaveLength(20);
    expect(first.next).toEqual(expect.any(String));
    const second = await activity(laptop, first.next!);
    expect(second.next).toBeNull();
    // 12 sign-ins + 12 sign-outs; registration itself is not a sign-in entry.
    const all = [...first.items, ...second.items];
    expect(all).toHaveLength(24);
    expect(new Set(all.map((i) => i.id)).size).toBe(24);
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort((a, b) => b - a));
    const bad = await laptop.request<{ error: { code: string } }>('GET', '/api/activity?before=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
  });
});

describe('when a session expires while another session of the user has a tab open', () => {
  it('records the expiry with its deadline and pushes activity:changed to the open tab', async () => {
    const { user, laptop } = await registered();
    const gone = await laptop.openTab();
    clock.advance(20 * 60_000);
    const phone = server.browser();
    expect((await phone.login(user, PASSWORD)).status).toBe(200);
    const watching = await phone.openTab();
    const pushed = nextChange(watching);
    // The laptop's idle deadline (30 min) passes; the phone is 11 minutes into its own.
    clock.advance(11 * 60_000);
    expect(await gone.ended()).toBe('expired');
    await pushed;
    const page = await activity(phone);
    expect(page.items[0]).toMatchObject({ kind: 'expired', detail: { deadline: 'idle', session: expect.any(String) }, userAgent: expect.any(String) });
    phone.closeTabs();
  });
});

describe('when entries are older than ACTIVITY_RETENTION_DAYS (default 90)', () => {
  it('prunes them and keeps younger ones', async () => {
    const { user, laptop } = await registered();
    expect((await laptop.logout()).status).toBe(204);
    clock.advance(89 * 86_400_000);
    const b = server.browser();
    expect((await b.login(user, PASSWORD)).status).toBe(200);
    expect(await server.tether.activity.prune()).toBeGreaterThanOrEqual(0);
    expect(kinds(await activity(b))).toEqual(['signed_in', 'signed_out']);
    clock.advance(2 * 86_400_000);
    expect(await server.tether.activity.prune()).toBeGreaterThanOrEqual(1);
    const c = server.browser();
    expect((await c.login(user, PASSWORD)).status).toBe(200);
    expect(kinds(await activity(c))).toEqual(['signed_in', 'signed_in']);
  });
});
