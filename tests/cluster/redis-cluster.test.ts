// Two tether nodes on a 3-master Redis Cluster started here: ends cross nodes, and survive a master killed mid-logout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCluster } from 'redis';
import { redisKeys } from '../../server/scale/keys.js';
import type { TestBrowser } from '../../server/testing/index.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodes, username, waitFor } from './nodes.js';
import { startOwnCluster, type OwnCluster } from './redis-cluster.js';

const available = await servicesAvailable('tests/cluster (Redis Cluster)', ['redis-server', 'postgres']);

describe.skipIf(!available)('two nodes on a 3-master Redis Cluster', () => {
  let redis: OwnCluster;
  let raw: ReturnType<typeof createCluster>;
  beforeAll(async () => {
    redis = await startOwnCluster();
    raw = createCluster({ rootNodes: redis.ports.map((p) => ({ url: `redis://127.0.0.1:${p}` })), defaults: { socket: { reconnectStrategy: () => 100 } } });
    raw.on('error', () => {});
    await raw.connect();
  }, 60_000);
  // Hooks after: the nodes start once the cluster is up, and stop before it goes.
  afterAll(async () => {
    raw?.destroy();
    await redis?.close();
  });
  const nodes = twoNodes(() => ({ redisUrl: redis.url }));

  const signedIn = async (name: string): Promise<TestBrowser> => {
    const browser = nodes.a.browser();
    expect((await browser.register(username(name), PASSWORD)).status).toBe(201);
    return browser;
  };

  it('a session signed in on A opens a tab on B, and logging out on A ends that tab', async () => {
    const browser = await signedIn('cl');
    const sid = browser.sessionId!;
    const [tabA, tabB] = await Promise.all([browser.openTab(), browser.on(nodes.b).openTab()]);
    expect((await browser.on(nodes.b).sessions()).sessions[0]?.sockets).toBe(2);
    expect((await browser.logout()).status).toBe(204);
    expect([await tabA.ended(), await tabB.ended()]).toEqual(['logout', 'logout']);
    expect(tabB.endings).toEqual(['logout']);
    // The entry and its tombstone share a slot ({sid}): written and deleted by one script.
    const keys = redisKeys(nodes.cluster.redisPrefix);
    expect(await redis.masterOf(keys.session(sid))).toBe(await redis.masterOf(keys.tombstone(sid)));
    expect(await raw.get(keys.session(sid))).toBeNull();
    expect(await raw.get(keys.tombstone(sid))).toBe('logout');
  });

  describe("when both nodes' sharded subscriptions are cut off while A ends the session", () => {
    it("B's tab ends once its subscriber is back: the re-check finds the missed end in the tombstone", async () => {
      const browser = await signedIn('cut');
      const [tabA, tabB] = await Promise.all([browser.openTab(), browser.on(nodes.b).openTab()]);
      // Ends are published on the namespace's channel; its master is where the subscriptions are cut.
      const channel = `${redisKeys(nodes.cluster.redisPrefix).adapter}#/#`;
      const onChannelMaster = (args: string[]): Promise<unknown> => raw.sendCommand(channel, false, args);
      const list = String(await onChannelMaster(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
      const ids = [...list.matchAll(/^id=(\d+) .*name=(\S+)/gm)].filter((m) => m[2] === `${nodes.cluster.redisPrefix}subscriber`).map((m) => m[1]!);
      expect(ids).toHaveLength(2);
      // No new connection gets in (the test's own is open already): the subscribers stay out until the limit is lifted.
      await onChannelMaster(['CONFIG', 'SET', 'maxclients', '1']);
      try {
        for (const id of ids) await onChannelMaster(['CLIENT', 'KILL', 'ID', id]);
        expect(await onChannelMaster(['PUBSUB', 'SHARDNUMSUB', channel])).toEqual([channel, 0]);
        expect((await browser.logout()).status).toBe(204);
        // A's own tab ends locally; B heard nothing.
        expect(await tabA.ended()).toBe('logout');
        expect(tabB.endings).toEqual([]);
      } finally {
        await onChannelMaster(['CONFIG', 'SET', 'maxclients', '10000']);
      }
      expect(await tabB.ended(5000)).toBe('logout');
      await tabB.disconnected();
      expect(tabB.endings).toEqual(['logout']);
    });
  });

  it("when the session's master is killed mid-logout, A's tabs end at once, and once it is back the session is gone everywhere", async () => {
    const browser = await signedIn('kill');
    const sid = browser.sessionId!;
    const keys = redisKeys(nodes.cluster.redisPrefix);
    const [tabA, tabB] = await Promise.all([browser.openTab(), browser.on(nodes.b).openTab()]);
    const master = await redis.masterOf(keys.session(sid));
    expect(await raw.get(keys.session(sid))).not.toBeNull();

    await redis.kill(master);
    const started = Date.now();
    const logout = browser.logout();
    expect(await tabA.ended()).toBe('logout');
    // "At once": this node's tab heard it well before any Redis timeout (1 s) could have passed.
    expect(Date.now() - started).toBeLessThan(500);
    expect((await logout).status).toBe(204);

    await redis.restart(master);
    // The destroy was retried until the master answered: the entry is gone, the tombstone is there.
    await waitFor('the session deleted on the restarted master', async () => (await raw.get(keys.session(sid))) === null && (await raw.get(keys.tombstone(sid))) === 'logout', 15_000);
    expect(await tabB.ended(15_000)).toBe('logout');
    expect(tabB.endings).toEqual(['logout']);
    // Neither node lets the old cookie back in.
    const me = await browser.on(nodes.b).request<{ user: unknown }>('GET', '/api/session');
    expect(me.body.user).toBeNull();
    expect(await browser.on(nodes.b).refusedTab()).toBe('unauthenticated');
  }, 60_000);
});
