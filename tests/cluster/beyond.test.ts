// Two real nodes: the new sign-in notice reaches every other tab, the history is in PostgreSQL, and the operators' command ends tabs on both.
import { describe, expect, it } from 'vitest';
import type { ActivityPage, SignInNotice } from '../../shared/account.js';
import type { TestTab } from '../../server/testing/index.js';
import { REDIS_URL, servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodes } from './nodes.js';
import { laptopWithTabs, operatorCommand } from './operator.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36';

const notice = (tab: TestTab): Promise<SignInNotice> => new Promise((resolve) => tab.socket.once('sessions:signed-in', resolve));
const activityChanged = (tab: TestTab): Promise<void> => new Promise((resolve) => tab.socket.once('activity:changed', () => resolve()));

describe.skipIf(!available)('two nodes sharing Redis and PostgreSQL (issue 15)', () => {
  const nodes = twoNodes();

  const admin = operatorCommand(nodes, () => REDIS_URL);

  describe('when the user signs in from a phone through node B while a laptop has tabs on A and B', () => {
    it('every laptop tab gets sessions:signed-in with the handle, user agent, IP and time; one revoke ends the phone', async () => {
      const { user, laptop, tabs } = await laptopWithTabs(nodes, 'notice');
      const heard = tabs.map(notice);
      const phone = nodes.b.browser(PHONE_UA);
      expect((await phone.login(user, PASSWORD)).status).toBe(200);
      const phoneTab = await phone.openTab();
      const [onA, onB] = await Promise.all(heard);
      const listed = (await laptop.sessions()).sessions.find((s) => !s.current)!;
      expect(onA).toEqual({ id: listed.id, userAgent: PHONE_UA, ip: listed.ip, at: listed.createdAt });
      expect(onB).toEqual(onA);
      // "Not you? Revoke": the new session is within the fresh window, so no step-up.
      expect((await laptop.revoke(onA!.id)).status).toBe(204);
      expect(await phoneTab.ended()).toBe('revoked');
      laptop.closeTabs();
    });

    it('the history is kept in PostgreSQL and readable on either node, and its push crosses nodes', async () => {
      const { user, laptop, tabs } = await laptopWithTabs(nodes, 'history');
      const changedOnA = activityChanged(tabs[0]!);
      const phone = nodes.b.browser(PHONE_UA);
      expect((await phone.login(user, 'wrong password!')).status).toBe(401);
      await changedOnA;
      expect((await phone.login(user, PASSWORD)).status).toBe(200);
      const fromA = (await laptop.request<ActivityPage>('GET', '/api/activity')).body;
      const fromB = (await laptop.on(nodes.b).request<ActivityPage>('GET', '/api/activity')).body;
      expect(fromA.items.map((i) => i.kind)).toEqual(['signed_in', 'sign_in_failed']);
      expect(fromA.items[1]!.detail).toEqual({ count: 1 });
      expect(fromB).toEqual(fromA);
      laptop.closeTabs();
    });
  });

  // Each run of the command is a fresh tsx process: seconds apiece on a loaded machine.
  describe("when an operator runs the command against the nodes' Redis and PostgreSQL", { timeout: 90_000 }, () => {
    it('`sessions` lists them as a table and as --json', async () => {
      const { user, laptop } = await laptopWithTabs(nodes, 'list');
      const json = await admin(['sessions', user, '--json']);
      expect(json.code).toBe(0);
      const parsed = JSON.parse(json.stdout) as { sessions: Array<{ id: string }> };
      expect(parsed.sessions.map((s) => s.id)).toEqual((await laptop.sessions()).sessions.map((s) => s.id));
      expect(json.stdout).not.toContain(laptop.sessionId!);
      const text = await admin(['sessions', user]);
      expect(text.code).toBe(0);
      expect(text.stdout.split('\n')[1]).toMatch(/^ID\s+SIGNED IN\s+LAST SEEN\s+IP\s+USER AGENT$/);
      laptop.closeTabs();
    });

    it('`end --reason logout_everywhere` closes the open tabs on both nodes at once', async () => {
      const { user, laptop, tabs } = await laptopWithTabs(nodes, 'end');
      const res = await admin(['end', user, '--reason', 'logout_everywhere']);
      expect(res).toMatchObject({ code: 0, stdout: `ended 1 session of ${user} (logout_everywhere)\n` });
      expect(await Promise.all(tabs.map((t) => t.ended()))).toEqual(['logout_everywhere', 'logout_everywhere']);
      expect((await laptop.request('GET', '/api/sessions')).status).toBe(401);
    });

    it('`lock` ends every session and sign-in answers 403 account_locked until `unlock`', async () => {
      const { user, tabs } = await laptopWithTabs(nodes, 'lock');
      const res = await admin(['lock', user, '--json']);
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toEqual({ user, locked: true, ended: 1 });
      expect(await Promise.all(tabs.map((t) => t.ended()))).toEqual(['revoked', 'revoked']);
      const again = nodes.b.browser();
      const refused = await again.login(user, PASSWORD);
      expect(refused.status).toBe(403);
      expect((refused.body as { error: { code: string } }).error.code).toBe('account_locked');
      // A wrong password still says only "wrong": the lock is told to whoever knows the password.
      expect((await again.login(user, 'wrong password!')).status).toBe(401);
      expect((await admin(['unlock', user])).code).toBe(0);
      expect((await again.login(user, PASSWORD)).status).toBe(200);
      const history = (await again.request<ActivityPage>('GET', '/api/activity')).body.items.map((i) => i.kind);
      expect(history.slice(0, 4)).toEqual(['signed_in', 'unlocked', 'sign_in_failed', 'locked']);
    });

    it('bad arguments get one line and exit 2; the memory store is refused the same way', async () => {
      for (const args of [['frobnicate', 'x'], ['end', 'x', '--reason', 'because'], ['sessions', 'x', '--colour']]) {
        const res = await admin(args);
        expect(res.code).toBe(2);
        expect(res.stdout).toBe('');
        expect(res.stderr.trim().split('\n')).toHaveLength(1);
      }
      const memory = await admin(['sessions', 'x'], { SESSION_STORE: 'memory' });
      expect(memory.code).toBe(2);
      expect(memory.stderr).toMatch(/SESSION_STORE is "memory".*SESSION_STORE=redis/);
      const unknown = await admin(['sessions', 'nobody-here']);
      expect(unknown.code).toBe(1);
    });
  });
});
