// A node shutting down (a rolling restart) closes its own sockets only, and the rest carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEvent } from '../../server/testing/index.js';
import { type DashboardServer } from '../support/dashboard.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, startNodes, username, type Nodes } from './nodes.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);

describe.skipIf(!available)('when one of two nodes shuts down', () => {
  let cluster: Nodes;
  let a: DashboardServer;
  let b: DashboardServer;
  beforeAll(async () => {
    cluster = await startNodes();
    [a, b] = cluster.nodes as [DashboardServer, DashboardServer];
  });
  afterAll(() => cluster?.close());

  it("the other node's tabs stay connected and the session keeps working there", async () => {
    const alice = a.browser();
    expect((await alice.register(username('rolling'), PASSWORD)).status).toBe(201);
    const [onA, onB] = await Promise.all([alice.openTab(), alice.on(b).openTab()]);

    await b.close();

    await onB.disconnected();
    expect(await noEvent(onA.socket, 'disconnect', 300)).toBe(true);
    expect(await onA.touch()).toMatchObject({ ok: true });
    // Counting tabs no longer waits for the node that left.
    expect((await alice.sessions()).sessions[0]?.sockets).toBe(1);
    expect((await alice.logout()).status).toBe(204);
    expect(await onA.ended()).toBe('logout');
  });
});
