// A node shutting down (a rolling restart) closes its own sockets only, and the rest carry on.
import { describe, expect, it } from 'vitest';
import { noEvent } from '../../server/testing/index.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, twoNodes, username } from './nodes.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);

describe.skipIf(!available)('when one of two nodes shuts down', () => {
  const nodes = twoNodes();

  it("the other node's tabs stay connected and the session keeps working there", async () => {
    const alice = nodes.a.browser();
    expect((await alice.register(username('rolling'), PASSWORD)).status).toBe(201);
    const [onA, onB] = await Promise.all([alice.openTab(), alice.on(nodes.b).openTab()]);

    await nodes.b.close();

    await onB.disconnected();
    expect(await noEvent(onA.socket, 'disconnect', 300)).toBe(true);
    expect(await onA.touch()).toMatchObject({ ok: true });
    // Counting tabs no longer waits for the node that left.
    expect((await alice.sessions()).sessions[0]?.sockets).toBe(1);
    expect((await alice.logout()).status).toBe(204);
    expect(await onA.ended()).toBe('logout');
  });
});
