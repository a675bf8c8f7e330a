// Redis or PostgreSQL going away mid-run: local tabs still end at once, 503s, no crash, recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardServer } from '../support/dashboard.js';
import { DATABASE_URL, ownRedis, servicesAvailable, type OwnRedis } from '../support/services.js';
import { PASSWORD, health, startNodes, username, waitFor, type Nodes } from './nodes.js';
import { tcpProxy, type TcpProxy } from './tcp-proxy.js';

const redisAvailable = await servicesAvailable('tests/cluster (Redis outage)', ['redis-server', 'postgres']);
const postgresAvailable = await servicesAvailable('tests/cluster (PostgreSQL outage)', ['redis', 'postgres']);

describe.skipIf(!redisAvailable)('when Redis stops while users are signed in on two nodes', () => {
  let redis: OwnRedis;
  let cluster: Nodes | undefined;
  let a: DashboardServer;
  let b: DashboardServer;
  beforeAll(async () => {
    // A Redis of this test's own, never the machine's shared one: it gets killed.
    redis = await ownRedis();
    await redis.start();
    cluster = await startNodes({ redisUrl: redis.url });
    [a, b] = cluster.nodes as [DashboardServer, DashboardServer];
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('while Redis hangs, calls give up within a second, sign-out still ends this node\'s tabs, and nobody else is signed out', async () => {
    const alice = a.browser();
    expect((await alice.register(username('hang'), PASSWORD)).status).toBe(201);
    const [tabOnA, tabOnB] = await Promise.all([alice.openTab(), alice.on(b).openTab()]);
    const bob = b.browser();
    expect((await bob.register(username('bob'), PASSWORD)).status).toBe(201);
    const bobsTab = await bob.openTab();

    redis.pause();
    try {
      const started = Date.now();
      const endedOnA = tabOnA.ended(3000);
      expect((await alice.logout()).status).toBe(204);
      // The session read before the route gives up after 1 s; then the tabs end at once.
      expect(await endedOnA).toBe('logout');
      expect(Date.now() - started).toBeLessThan(3500);
      const list = await bob.request('GET', '/api/sessions');
      expect(list).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
      expect(await health(a)).toEqual({ status: 503, body: { ok: false, failing: ['redis'] } });
    } finally {
      redis.resume();
    }

    expect(await tabOnB.ended(5000)).toBe('logout');
    // Bob's request that failed during the hang did not end his session.
    expect((await bob.sessions()).sessions).toHaveLength(1);
    expect(bobsTab.connected).toBe(true);
    await waitFor('healthy again', async () => (await health(a)).status === 200);
    bob.closeTabs();
  });

  it('ends this node\'s tabs at once, answers 503, and recovers when Redis returns, without a restart', async () => {
    const user = username('outage');
    const alice = a.browser();
    expect((await alice.register(user, PASSWORD)).status).toBe(201);
    const tabsOnA = await Promise.all([alice.openTab(), alice.openTab()]);
    const tabOnB = await alice.on(b).openTab();
    const carol = a.browser();
    await carol.session();
    const bob = b.browser();
    expect((await bob.register(username('bob'), PASSWORD)).status).toBe(201);

    await redis.stop();

    // Sign-out with the store down: 204 and this node's tabs end at once.
    const started = Date.now();
    const endedOnA = Promise.all(tabsOnA.map((tab) => tab.ended()));
    expect((await alice.logout()).status).toBe(204);
    expect(await endedOnA).toEqual(['logout', 'logout']);
    expect(Date.now() - started).toBeLessThan(1000);

    expect(await health(a)).toEqual({ status: 503, body: { ok: false, failing: ['redis'] } });
    const signIn = await carol.login(user, PASSWORD);
    expect(signIn).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(await bob.refusedTab()).toBe('unavailable');
    // Requests across nodes (presence asks every node) answer with this node's part, not an error.
    const everywhere = await a.tether.io.fetchSockets();
    expect(everywhere.length).toBe(a.tether.io.of('/').sockets.size);

    await redis.start();

    await waitFor('both nodes healthy again', async () => (await health(a)).status === 200 && (await health(b)).status === 200, 10_000);
    // The sign-out done during the outage reaches node B once Redis is back (retried announcement
    // or the re-check of tombstones after reconnecting), still as one `logout`.
    expect(await tabOnB.ended(10_000)).toBe('logout');
    await tabOnB.disconnected();
    expect(tabOnB.endings).toEqual(['logout']);
    // The restarted Redis is empty (no persistence), so everyone signs in again, on either node.
    const again = b.browser();
    expect((await again.login(user, PASSWORD)).status).toBe(200);
    const tab = await again.on(a).openTab();
    expect(tab.connected).toBe(true);
    expect((await again.logout()).status).toBe(204);
    expect(await tab.ended()).toBe('logout');
  });
});

describe.skipIf(!postgresAvailable)('when PostgreSQL stops while a user is signed in', () => {
  let proxy: TcpProxy;
  let cluster: Nodes | undefined;
  let node: DashboardServer;
  beforeAll(async () => {
    proxy = await tcpProxy(Number(new URL(DATABASE_URL).port || 5432), new URL(DATABASE_URL).hostname);
    await proxy.start();
    const viaProxy = new URL(DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    cluster = await startNodes({ count: 1, databaseUrl: viaProxy.href });
    [node] = cluster.nodes as [DashboardServer];
  });
  afterAll(async () => {
    await cluster?.close();
    await proxy?.stop();
  });

  it('sign-in and registration answer 503, signed-in tabs keep working, and it recovers', async () => {
    const user = username('pgdown');
    const alice = node.browser();
    expect((await alice.register(user, PASSWORD)).status).toBe(201);
    const tab = await alice.openTab();

    await proxy.stop();

    expect(await health(node)).toEqual({ status: 503, body: { ok: false, failing: ['database'] } });
    expect(await node.browser().login(user, PASSWORD)).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(await node.browser().register(username('new'), PASSWORD)).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(await tab.touch()).toMatchObject({ ok: true });
    expect((await alice.sessions()).sessions).toHaveLength(1);

    await proxy.start();

    await waitFor('healthy again', async () => (await health(node)).status === 200);
    expect((await node.browser().login(user, PASSWORD)).status).toBe(200);
    expect(tab.connected).toBe(true);
  });
});
