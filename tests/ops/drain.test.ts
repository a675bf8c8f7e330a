// Draining one node (real server, manual clock): sockets leave in even batches over DRAIN_MS, not at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { drainAndClose } from '../../server/ops/shutdown.js';
import type { TestTab } from '../../server/testing/index.js';
import { gatedHasher } from '../support/gated-hasher.js';

const PASSWORD = 'correct horse battery';

let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => {});
  server = undefined;
});

describe('when a node with eight open tabs drains over 800 ms', () => {
  it('moves one socket every 100 ms, the first at once, each told server:moving before its disconnect', async () => {
    const clock = createManualClock();
    server = await startDashboard({ clock, env: { DRAIN_MS: '800' } });
    const browsers = [server.browser(), server.browser()];
    await browsers[0]!.register('alice', 'correct horse battery');
    await browsers[1]!.register('bob', 'correct horse battery');
    const tabs = (await Promise.all(browsers.flatMap((b) => [b.openTab(), b.openTab(), b.openTab(), b.openTab()]))) as TestTab[];
    const told = new Set<TestTab>();
    const toldBeforeGone = new Set<TestTab>();
    for (const tab of tabs) {
      tab.socket.on('server:moving', () => told.add(tab));
      tab.socket.on('disconnect', () => told.has(tab) && toldBeforeGone.add(tab));
    }
    const sockets = server.tether.io.of('/').sockets;
    expect(sockets.size).toBe(8);

    const drain = server.tether.drain;
    const done = drain.start();
    expect(drain.ready).toBe(false);
    // Batches are cut synchronously when the clock reaches them: the count is exact.
    expect(sockets.size).toBe(7);
    clock.advance(99);
    expect(sockets.size).toBe(7);
    clock.advance(1);
    expect(sockets.size).toBe(6);
    for (let left = 5; left >= 0; left -= 1) {
      clock.advance(100);
      expect(sockets.size).toBe(left);
    }
    await done;
    expect(drain.state).toBe('drained');
    await Promise.all(tabs.map((t) => t.disconnected()));
    expect(toldBeforeGone.size).toBe(8);
    expect(tabs.every((t) => t.endings.length === 0)).toBe(true);
    await drainAndClose(server.tether);
    server = undefined;
  });
});

describe('when a request in flight never answers while the node closes', () => {
  it('the close waits out the 10 s grace, then cuts that connection and finishes', async () => {
    const clock = createManualClock();
    const hasher = gatedHasher();
    server = await startDashboard({ clock, hasher });
    expect((await server.browser().register('alice', PASSWORD)).status).toBe(201);
    const gate = hasher.hold(PASSWORD, 1);
    // Another browser signs in; its password check is held, so its request is in flight throughout.
    const login = server.browser().login('alice', PASSWORD).then(
      () => 'answered',
      () => 'cut',
    );
    await gate.arrived;

    let closed = false;
    const closing = server.tether.close().then(() => (closed = true));
    clock.advance(9_999);
    // Whatever else the close waits for is done long before: let it get as far as it can.
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    clock.advance(1);
    expect(await login).toBe('cut');
    await closing;
    expect(closed).toBe(true);
    gate.release();
    server = undefined;
  });
});
