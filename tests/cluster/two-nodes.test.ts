// Two real nodes over one Redis and one PostgreSQL: ending a session reaches its tabs on both.
import { describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../server/testing/index.js';
import { createClient } from 'redis';
import { redisKeys } from '../../server/scale/keys.js';
import { REDIS_URL, servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodes, username } from './nodes.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);

describe.skipIf(!available)('two nodes sharing Redis and PostgreSQL', () => {
  const nodes = twoNodes();

  /** A browser of a new user registered through node A, signed in. */
  const signedIn = async (name: string): Promise<{ browser: TestBrowser; user: string }> => {
    const browser = nodes.a.browser();
    const user = username(name);
    expect((await browser.register(user, PASSWORD)).status).toBe(201);
    return { browser, user };
  };

  describe('when a user signed in through node A has tabs on both nodes', () => {
    it('node B knows the session and counts every tab in /api/sessions', async () => {
      const { browser } = await signedIn('count');
      await Promise.all([browser.openTab(), browser.openTab(), browser.on(nodes.b).openTab()]);
      const fromA = await browser.sessions();
      const fromB = await browser.on(nodes.b).sessions();
      expect(fromA.sessions).toHaveLength(1);
      expect(fromA.sessions[0]?.sockets).toBe(3);
      expect(fromB.sessions[0]).toMatchObject({ id: fromA.sessions[0]?.id, current: true, sockets: 3 });
      browser.closeTabs();
    });

    it('signing out on A ends the tabs on B too, each exactly once', async () => {
      const { browser } = await signedIn('logout');
      const tabs = await Promise.all([browser.openTab(), browser.on(nodes.b).openTab(), browser.on(nodes.b).openTab()]);
      expect((await browser.logout()).status).toBe(204);
      expect(await Promise.all(tabs.map((tab) => tab.ended()))).toEqual(['logout', 'logout', 'logout']);
      await Promise.all(tabs.map((tab) => tab.disconnected()));
      expect(tabs.map((tab) => tab.endings)).toEqual([['logout'], ['logout'], ['logout']]);
    });

    it('the ended session stays ended on B: its cookie no longer authenticates and a late save cannot revive it', async () => {
      const { browser } = await signedIn('revive');
      const sid = browser.sessionId!;
      const before = await nodes.b.tether.stores.store.get(sid);
      expect(before?.userId).toBeDefined();
      expect((await browser.logout()).status).toBe(204);
      // Node B saving the session it loaded before the logout (express-session's end-of-request save).
      await nodes.b.tether.stores.store.create(sid, before!);
      expect(await nodes.b.tether.stores.store.update(sid, { lastSeenAt: Date.now() })).toBeNull();
      expect(await nodes.a.tether.stores.store.get(sid)).toBeNull();
      const stale = nodes.b.browser();
      stale.cookies.set('sid', browser.cookies.get('sid') ?? '');
      expect((await stale.session()).user).toBeNull();
    });
  });

  describe("when node B's subscriber was disconnected while a session ended", () => {
    it('B finds the ending in the Redis tombstone once it reconnects, and ends its tabs', async () => {
      const { browser } = await signedIn('resync');
      const tab = await browser.on(nodes.b).openTab();
      const redis = createClient({ url: REDIS_URL });
      await redis.connect();
      try {
        // The session ends elsewhere and the announcement is lost: only the tombstone says so.
        await redis.set(redisKeys(nodes.cluster.redisPrefix).tombstone(browser.sessionId!), 'revoked', { expiration: { type: 'PX', value: 60_000 } });
        const list = String(await redis.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
        const ids = [...list.matchAll(/^id=(\d+) .*name=(\S+)/gm)].filter((m) => m[2] === `${nodes.cluster.redisPrefix}subscriber`).map((m) => Number(m[1]));
        expect(ids).toHaveLength(2);
        // Nodes start one after the other, so B's subscriber is the newer connection.
        await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(Math.max(...ids))]);
      } finally {
        redis.destroy();
      }
      expect(await tab.ended(5000)).toBe('revoked');
      await tab.disconnected();
      expect(tab.endings).toEqual(['revoked']);
    });
  });

  describe('when the user has a second browser', () => {
    it('sign-out everywhere on A ends both sessions on both nodes', async () => {
      const { browser: laptop, user } = await signedIn('everywhere');
      const phone = nodes.b.browser();
      expect((await phone.login(user, PASSWORD)).status).toBe(200);
      const tabs = await Promise.all([laptop.openTab(), laptop.on(nodes.b).openTab(), phone.openTab(), phone.on(nodes.a).openTab()]);
      expect((await laptop.logoutEverywhere()).status).toBe(204);
      expect(await Promise.all(tabs.map((tab) => tab.ended()))).toEqual(Array(4).fill('logout_everywhere'));
      expect((await phone.request('GET', '/api/sessions')).status).toBe(401);
    });

    it('revoking it from A ends its tabs on B with "revoked", and the revoker stays', async () => {
      const { browser: laptop, user } = await signedIn('revoke');
      const phone = nodes.b.browser('phone/1.0');
      expect((await phone.login(user, PASSWORD)).status).toBe(200);
      const [laptopTab, phoneTab, phoneTabOnA] = await Promise.all([laptop.openTab(), phone.openTab(), phone.on(nodes.a).openTab()]);
      const other = (await laptop.sessions()).sessions.find((s) => !s.current);
      expect(other).toMatchObject({ userAgent: 'phone/1.0', sockets: 2 });
      expect((await laptop.revoke(other?.id ?? '')).status).toBe(204);
      expect(await Promise.all([phoneTab.ended(), phoneTabOnA.ended()])).toEqual(['revoked', 'revoked']);
      expect(laptopTab.connected).toBe(true);
      expect((await laptop.on(nodes.b).sessions()).sessions).toHaveLength(1);
      laptop.closeTabs();
    });

    it('a password change on B ends the other session on A and renews its own tabs on A', async () => {
      const { browser: laptop, user } = await signedIn('password');
      const phone = nodes.a.browser();
      expect((await phone.login(user, PASSWORD)).status).toBe(200);
      const [ownTabOnA, phoneTabOnA, phoneTabOnB] = await Promise.all([laptop.openTab(), phone.openTab(), phone.on(nodes.b).openTab()]);
      const before = (await laptop.sessions()).sessions.find((s) => s.current);
      expect((await laptop.on(nodes.b).changePassword(PASSWORD, `${PASSWORD}!`)).status).toBe(200);
      expect(await Promise.all([phoneTabOnA.ended(), phoneTabOnB.ended()])).toEqual(['password_changed', 'password_changed']);
      await ownTabOnA.renewed();
      // The renewed session keeps its list id and works on both nodes with the new token.
      const after = await laptop.sessions();
      expect(after.sessions).toEqual([expect.objectContaining({ id: before?.id, current: true })]);
      const reopened = await laptop.on(nodes.b).openTab();
      expect(reopened.connected).toBe(true);
      expect((await nodes.b.browser().login(user, PASSWORD)).status).toBe(401);
      laptop.closeTabs();
    });
  });

  describe('when the password was changed through node A', () => {
    it('a request on node B still carrying the old cookie gets 409 session_renewed, and the old cookie opens no tab', async () => {
      const { browser } = await signedIn('renewed');
      const oldCookie = browser.cookies.get('sid') ?? '';
      const oldToken = browser.csrfToken;
      expect((await browser.changePassword(PASSWORD, `${PASSWORD}?`)).status).toBe(200);
      const otherTab = nodes.b.browser();
      otherTab.cookies.set('sid', oldCookie);
      const res = await otherTab.request('GET', '/api/session');
      expect(res).toMatchObject({ status: 409, body: { error: { code: 'session_renewed' } } });
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await otherTab.refusedTab({ csrfToken: oldToken })).toBe('unauthenticated');
      expect((await browser.on(nodes.b).sessions()).sessions).toHaveLength(1);
    });
  });

  describe('with users in PostgreSQL', () => {
    it('a user registered on A signs in on B, and created_at reads back as a number', async () => {
      const { user } = await signedIn('pg');
      const elsewhere = nodes.b.browser();
      expect((await elsewhere.login(user.toUpperCase(), PASSWORD)).status).toBe(200);
      const row = await nodes.b.tether.stores.db.selectFrom('users').select(['username', 'created_at']).where('username_key', '=', user.toLowerCase()).executeTakeFirstOrThrow();
      expect(row.username).toBe(user);
      expect(typeof row.created_at).toBe('number');
    });
  });
});
