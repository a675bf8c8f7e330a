// The operators' command against a 3-master Redis Cluster: its ends reach the nodes' tabs over sharded pub/sub.
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { nextEvent } from '../../server/testing/index.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodesOnOwnCluster } from './nodes.js';
import { laptopWithTabs, operatorCommand } from './operator.js';

const available = await servicesAvailable('tests/cluster (Redis Cluster)', ['redis-server', 'postgres']);

describe.skipIf(!available)('the operators\' command against two nodes on a Redis Cluster', () => {
  const nodes = twoNodesOnOwnCluster();

  const admin = operatorCommand(nodes, () => nodes.redis.url);

  it('`end` closes the tabs on both nodes, each with one session:ended', async () => {
    const { user, laptop, tabs } = await laptopWithTabs(nodes, 'clend');
    const res = await admin(['end', user, '--reason', 'logout_everywhere']);
    expect(res).toMatchObject({ code: 0, stdout: `ended 1 session of ${user} (logout_everywhere)\n` });
    expect(await Promise.all(tabs.map((t) => t.ended()))).toEqual(['logout_everywhere', 'logout_everywhere']);
    await Promise.all(tabs.map((t) => t.disconnected()));
    expect(tabs.map((t) => t.endings)).toEqual([['logout_everywhere'], ['logout_everywhere']]);
    expect((await laptop.on(nodes.b).request('GET', '/api/sessions')).status).toBe(401);
  });

  it('`lock` ends the tabs on both nodes and sign-in answers 403 account_locked; `unlock` tells open tabs to refetch', async () => {
    const { user, tabs } = await laptopWithTabs(nodes, 'cllock');
    const res = await admin(['lock', user, '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ user, locked: true, ended: 1 });
    expect(await Promise.all(tabs.map((t) => t.ended()))).toEqual(['revoked', 'revoked']);
    const again = nodes.b.browser();
    const refused = await again.login(user, PASSWORD);
    expect(refused.status).toBe(403);
    expect((refused.body as { error: { code: string } }).error.code).toBe('account_locked');
    expect((await admin(['unlock', user])).code).toBe(0);
    expect((await again.login(user, PASSWORD)).status).toBe(200);
    // A room emit over sharded pub/sub: a tab on the other node hears the command's `changed`.
    const tab = await again.on(nodes.a).openTab();
    const pushed = nextEvent(tab.socket, 'sessions:changed', 10_000);
    expect((await admin(['unlock', user])).code).toBe(0);
    await pushed;
    again.closeTabs();
  });

  it('says so and exits 1 when its ends are stored but cannot be told to the nodes', async () => {
    const { user, laptop } = await laptopWithTabs(nodes, 'clunsent');
    // SPUBLISH refused by every master: the store writes go through, the messages to the nodes do not
    // (the end, then the two refetch pushes to the user's other tabs).
    const acl = (rule: string) =>
      Promise.all(
        nodes.redis.ports.map(async (port) => {
          const client = createClient({ url: `redis://127.0.0.1:${port}` });
          await client.connect();
          await client.sendCommand(['ACL', 'SETUSER', 'default', rule]);
          await client.close();
        }),
      );
    await acl('-spublish');
    let res;
    try {
      res = await admin(['end', user, '--reason', 'revoked']);
    } finally {
      await acl('+spublish');
    }
    expect(res.code).toBe(1);
    expect(res.stdout).toBe(`ended 1 session of ${user} (revoked)\n`);
    expect(res.stderr).toMatch(/^tether-session-admin: done in the store, but 3 message\(s\) to the nodes could not be sent: open tabs close at their next request or touch instead of at once\n$/);
    expect((await laptop.request('GET', '/api/sessions')).status).toBe(401);
    laptop.closeTabs();
  });
});
