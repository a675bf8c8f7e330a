// The shared counter on two nodes, over one Redis and over a Redis Cluster: concurrent changes on both add up, every tab sees the total, a restarted node too.
import { describe, expect, it, vi } from 'vitest';
import { createClient, createCluster } from 'redis';
import type { TestTab } from '../../server/testing/index.js';
import type { LivePatch } from '../../shared/live.js';
import { REDIS_URL, servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodes, twoNodesOnOwnCluster, username, type TwoNodes } from './nodes.js';
import { boardSchemas } from '../../shared/views/board.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);
const clusterAvailable = await servicesAvailable('tests/cluster (Redis Cluster)', ['redis-server', 'postgres']);

/** The count a tab shows: its joined state, then every board patch it receives. */
async function follow(tab: TestTab): Promise<{ count: () => number }> {
  let count = (await tab.join(boardSchemas)).count;
  tab.socket.on('live:patch', (patch: LivePatch) => {
    if (patch.view === 'board' && typeof patch.changes.count === 'number') count = patch.changes.count;
  });
  return { count: () => count };
}

/** Two nodes share the counter; `read` gets a key's value from the Redis they use. */
function sharedCounter(nodes: TwoNodes, read: (key: string) => Promise<string | null>): void {
  it('20 concurrent +1 split over both nodes leave both at 20, kept in Redis, and a restarted node reads it', async () => {
    const ann = nodes.a.browser();
    const bob = nodes.b.browser();
    expect((await ann.register(username('ann'), PASSWORD)).status).toBe(201);
    expect((await bob.register(username('bob'), PASSWORD)).status).toBe(201);
    const [tabA, tabB] = await Promise.all([ann.openTab(), bob.openTab()]);
    const [onA, onB] = await Promise.all([follow(tabA!), follow(tabB!)]);
    expect([onA.count(), onB.count()]).toEqual([0, 0]);

    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? tabA! : tabB!).liveEvent(boardSchemas, 'bump', { by: 1 })));
    expect(acks).toEqual(Array.from({ length: 20 }, () => ({ ok: true })));
    await vi.waitFor(() => expect([onA.count(), onB.count()]).toEqual([20, 20]), { timeout: 5000 });

    // The value lives in Redis, under this run's prefix.
    expect(await read(`${nodes.cluster.redisPrefix}{board}:count`)).toBe('20');

    // Node B goes away and a node starts in its place: a tab there sees the current value, and changes go on.
    await nodes.b.close();
    const c = await nodes.cluster.startNode();
    const tabC = await bob.on(c).openTab();
    const onC = await follow(tabC);
    expect(onC.count()).toBe(20);
    expect(await tabC.liveEvent(boardSchemas, 'bump', { by: -1 })).toEqual({ ok: true });
    await vi.waitFor(() => expect([onA.count(), onC.count()]).toEqual([19, 19]), { timeout: 5000 });
    ann.closeTabs();
    bob.closeTabs();
  });
}

/** GET over a fresh connection to one Redis. */
async function readRedis(key: string): Promise<string | null> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    return await redis.get(key);
  } finally {
    redis.destroy();
  }
}

describe.skipIf(!available)('the shared counter when two nodes serve it', () => {
  sharedCounter(twoNodes(), readRedis);
});

describe.skipIf(!clusterAvailable)('the shared counter when two nodes serve it on a Redis Cluster', () => {
  const nodes = twoNodesOnOwnCluster();
  sharedCounter(nodes, async (key) => {
    const cluster = createCluster({ rootNodes: nodes.redis.ports.map((p) => ({ url: `redis://127.0.0.1:${p}` })) });
    await cluster.connect();
    try {
      return await cluster.get(key);
    } finally {
      cluster.destroy();
    }
  });
});
