// The kit's cluster: an app of its own shape on two nodes and a redis-server of the test's own, with faults.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../server/testing/index.js';
import { servicesAvailable } from '../support/services.js';
import { chatRoutes, createChatApp } from './chat-app.js';

const available = await servicesAvailable('tests/toolkit (cluster kit)', ['redis-server']);

describe.skipIf(!available)('an app of its own shape on two nodes', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, app: ({ redisUrl, redisPrefix }) => createChatApp({ url: redisUrl, prefix: redisPrefix }), browser: chatRoutes });
  });
  afterAll(async () => cluster?.close());

  it('a sign-out on node A ends the tab on node B, with Redis paused meanwhile', async () => {
    const ann = cluster.browser();
    await ann.login('ann', 'any password');
    const [onA, onB] = await Promise.all([ann.openTab(), ann.on(cluster.nodes[1]!).openTab()]);
    cluster.redis.pause();
    const signedOut = ann.logout();
    expect(await onA.ended()).toBe('logout');
    cluster.redis.resume();
    expect((await signedOut).status).toBe(204);
    expect(await onB.ended(5000)).toBe('logout');
  });

  it('a node that is killed drops its tabs; the other node keeps the session', async () => {
    const bob = cluster.browser();
    await bob.login('bob', 'any password');
    const onB = await bob.on(cluster.nodes[1]!).openTab();
    await cluster.nodes[1]!.kill();
    expect(await onB.disconnected()).toBe('transport close');
    expect((await bob.session()).user).toBe('bob');
  });
});
