// Transitions racing through the real server: an end that answered is final, and a password change ends every old-password session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBrowser } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { gatedHasher } from '../support/gated-hasher.js';

let accounts = 0;
const OLD = 'old password 1';
const NEW = 'new password 2';

let server: DashboardServer;
const hasher = gatedHasher();
beforeAll(async () => {
  server = await startDashboard({ hasher });
});
afterAll(async () => server?.close());

async function account(): Promise<{ name: string; browser: TestBrowser }> {
  const name = `race${++accounts}`;
  const browser = server.browser();
  expect((await browser.register(name, OLD)).status).toBe(201);
  return { name, browser };
}

describe('when a session is ended while its own password change is being verified', () => {
  const ends: Array<[string, (me: TestBrowser, other: TestBrowser) => Promise<{ status: number }>]> = [
    ['signed out', (me) => me.logout()],
    ['revoked from another session', async (me, other) => other.revoke((await me.sessions()).sessions.find((s) => s.current)!.id)],
    ['signed out everywhere from another session', (_me, other) => other.logoutEverywhere()],
  ];
  for (const [how, endIt] of ends) {
    it(`${how}: it stays ended, the change answers 401 and the password is unchanged`, async () => {
      const { name, browser } = await account();
      const other = server.browser();
      expect((await other.login(name, OLD)).status).toBe(200);
      const tab = await browser.openTab();
      const gate = hasher.hold(OLD, 1);
      const change = browser.changePassword(OLD, NEW);
      await gate.arrived;
      expect((await endIt(browser, other)).status).toBe(204);
      gate.release();
      const answer = await change;
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'unauthenticated' } });
      expect(tab.endings).toHaveLength(1);
      expect((await browser.session()).user).toBeNull();
      expect((await server.browser().login(name, NEW)).status).toBe(401);
      expect((await server.browser().login(name, OLD)).status).toBe(200);
    });
  }
});

describe('when sign-ins with the old password race a password change', () => {
  // Failed sign-ins count towards the per-user limit, so past five the answer may be 429.
  const refused = [401, 429];

  it('sign-ins that completed before it answered are ended by it', async () => {
    const { name, browser } = await account();
    const racers = Array.from({ length: 12 }, () => server.browser());
    await Promise.all(racers.map((r) => r.session()));
    const answers = Promise.all(racers.map((r) => r.login(name, OLD)));
    const changed = await browser.changePassword(OLD, NEW);
    expect(changed.status).toBe(200);
    // Whatever each sign-in answered, no session signed in with the old password survives.
    for (const [i, answer] of (await answers).entries()) {
      if (answer.status === 200) expect((await racers[i]!.session()).user).toBeNull();
      else expect(refused).toContain(answer.status);
    }
    expect((await browser.sessions()).sessions).toHaveLength(1);
  });

  it('sign-ins that verified the old password before the change and finish after it fail', async () => {
    const { name, browser } = await account();
    // Fewer than the per-user limit of failures, so every one reaches the password check.
    const racers = Array.from({ length: 4 }, () => server.browser());
    await Promise.all(racers.map((r) => r.session()));
    const gate = hasher.hold(OLD, racers.length);
    const logins = Promise.all(racers.map((r) => r.login(name, OLD)));
    await gate.arrived;
    // Every racer has verified the old password and waits; the change runs to its answer.
    expect((await browser.changePassword(OLD, NEW)).status).toBe(200);
    gate.release();
    for (const answer of await logins) expect(refused).toContain(answer.status);
    for (const r of racers) expect((await r.session()).user).toBeNull();
    expect((await browser.sessions()).sessions).toHaveLength(1);
  });
});
