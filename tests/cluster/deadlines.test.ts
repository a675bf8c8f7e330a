// Deadlines across nodes, with short real timeouts: activity seen on one node counts on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEvent } from '../../server/testing/index.js';
import { type DashboardServer } from '../support/dashboard.js';
import { servicesAvailable } from '../support/services.js';
import { PASSWORD, startNodes, username, type Nodes } from './nodes.js';

const IDLE_MS = 1500;
const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);

describe.skipIf(!available)('deadlines on two nodes', () => {
  let cluster: Nodes;
  let a: DashboardServer;
  let b: DashboardServer;
  beforeAll(async () => {
    cluster = await startNodes({ env: { SESSION_IDLE_TIMEOUT_MS: String(IDLE_MS) } });
    [a, b] = cluster.nodes as [DashboardServer, DashboardServer];
  });
  afterAll(() => cluster?.close());

  it('touches seen only on node B keep the tab on node A open past its deadline; then both expire once', async () => {
    const browser = a.browser();
    expect((await browser.register(username('touchb'), PASSWORD)).status).toBe(201);
    const onA = await browser.openTab();
    const onB = await browser.on(b).openTab();
    const openedAt = Date.now();
    // The user is active in B's tab only. A's timer fires at the deadline it knows, reads the store
    // and finds it moved.
    const touching = setInterval(() => void onB.touch().catch(() => {}), IDLE_MS / 5);
    try {
      expect(await noEvent(onA.socket, 'session:ended', IDLE_MS * 2)).toBe(true);
    } finally {
      clearInterval(touching);
    }
    expect(Date.now() - openedAt).toBeGreaterThan(IDLE_MS);
    expect(onA.connected).toBe(true);
    // No more activity: the idle deadline passes and both tabs end, within a second of it.
    expect(await Promise.all([onA.ended(IDLE_MS + 1500), onB.ended(IDLE_MS + 1500)])).toEqual(['expired', 'expired']);
    await Promise.all([onA.disconnected(), onB.disconnected()]);
    expect([onA.endings, onB.endings]).toEqual([['expired'], ['expired']]);
    expect((await browser.on(b).request('GET', '/api/sessions')).status).toBe(401);
  });

  it('without activity, the deadline ends the session on both nodes, each tab getting one session:ended', async () => {
    const browser = b.browser();
    expect((await browser.register(username('idle'), PASSWORD)).status).toBe(201);
    const tabs = await Promise.all([browser.openTab(), browser.openTab(), browser.on(a).openTab(), browser.on(a).openTab()]);
    expect(await Promise.all(tabs.map((tab) => tab.ended(IDLE_MS + 1500)))).toEqual(Array(4).fill('expired'));
    await Promise.all(tabs.map((tab) => tab.disconnected()));
    expect(tabs.map((tab) => tab.endings)).toEqual(Array(4).fill(['expired']));
  });
});
