// Two tether nodes on a Redis Cluster with a replica per master: the master of the cross-node
// channel dies and its replica takes over, while a session is ended on A.
import { describe, expect, it } from 'vitest';
import { redisKeys } from '../../server/scale/keys.js';
import type { TestBrowser } from '../../server/testing/index.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodesOnOwnCluster, username } from './nodes.js';

const available = await servicesAvailable('tests/cluster (Redis Cluster failover)', ['redis-server', 'postgres']);

describe.skipIf(!available)('two nodes on a Redis Cluster whose channel master fails over to its replica', () => {
  const nodes = twoNodesOnOwnCluster({ replicas: 1 });
  const keys = (): ReturnType<typeof redisKeys> => redisKeys(nodes.cluster.redisPrefix);
  const channel = (): string => `${keys().adapter}#/#`;

  /** A session signed in on A whose own slot's master passes `where` (a third of the slots are on each master). */
  const signedInWhere = async (where: (master: number) => boolean): Promise<TestBrowser> => {
    for (let i = 0; i < 40; i += 1) {
      const browser = nodes.a.browser();
      expect((await browser.register(username('fo'), PASSWORD)).status).toBe(201);
      if (where(await nodes.redis.masterOf(keys().session(browser.sessionId!)))) return browser;
    }
    throw new Error('40 sessions in a row missed the master wanted');
  };

  it("B's tab ends with the reason once the replica has taken over, and later ends cross nodes again", async () => {
    const master = await nodes.redis.masterOf(channel());
    // Stored on another master, so that its end is written while the channel has none.
    const browser = await signedInWhere((port) => port !== master);
    const [tabA, tabB] = await Promise.all([browser.openTab(), browser.on(nodes.b).openTab()]);

    await nodes.redis.kill(master);
    expect((await browser.logout()).status).toBe(204);
    expect(await tabA.ended()).toBe('logout');
    const promoted = await nodes.redis.failedOver(channel(), master);
    // The end was announced while the channel had no master: B hears it from the retried
    // announcement or, if that came before B was subscribed again, from the tombstone re-check.
    expect(await tabB.ended(20_000)).toBe('logout');
    await tabB.disconnected();
    expect(tabB.endings).toEqual(['logout']);

    // After the failover the channel works both ways at once, not only through re-checks, and
    // the sessions on the promoted replica's slots are stored and ended there.
    const next = await signedInWhere((port) => port === promoted);
    const [nextA, nextB] = await Promise.all([next.openTab(), next.on(nodes.b).openTab()]);
    const started = Date.now();
    expect((await next.on(nodes.b).logout()).status).toBe(204);
    expect([await nextB.ended(), await nextA.ended()]).toEqual(['logout', 'logout']);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 90_000);
});
