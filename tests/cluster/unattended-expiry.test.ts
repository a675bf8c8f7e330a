// Two real nodes on Redis: a session that expires with no tab open anywhere is ended, recorded and unregistered, once.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityPage } from '../../shared/account.js';
import type { SignedIn } from '../../shared/api.js';
import { redisKeys } from '../../server/scale/index.js';
import { createManualClock, nextEvent, type TestBrowser, type TestTab } from '../../server/testing/index.js';
import type { DashboardServer } from '../support/dashboard.js';
import { REDIS_URL, servicesAvailable } from '../support/services.js';
import { PASSWORD, startNodes, twoNodesOnOwnCluster, username, type Nodes } from './nodes.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);
const clusterAvailable = await servicesAvailable('tests/cluster (Redis Cluster)', ['redis-server', 'postgres']);
const MINUTE = 60_000;

/** Where each node decided an end itself (origin 'here': the node that records it). */
function endsDecided(nodes: readonly DashboardServer[]): Array<{ node: number; sessionId: string; deadline: string | undefined }> {
  const ends: Array<{ node: number; sessionId: string; deadline: string | undefined }> = [];
  nodes.forEach((node, i) => node.tether.lifecycle.on('ended', ({ sessionId, origin, deadline }) => origin === 'here' && ends.push({ node: i, sessionId, deadline })));
  return ends;
}

/**
 * Both nodes sweep at once, as their periodic sweeps would (a manual clock fires those at the
 * first due time of an advance, before the deadline; unit tests cover the period).
 */
const sweepBoth = (nodes: readonly DashboardServer[]): Promise<number[]> => Promise.all(nodes.map((node) => node.tether.lifecycle.sweepExpired()));

/** Resolves when a lifecycle (any node) has told that the user's list changed: the registry entry is gone. */
function listChanged(nodes: readonly DashboardServer[], userId: string): Promise<void> {
  return new Promise((resolve) => nodes.forEach((node) => node.tether.lifecycle.on('listChanged', (e) => e.userId === userId && resolve())));
}

/** The user's expiry entries, once at least one is there: asked again on each `activity:changed` push to `tab`. */
async function expiries(browser: TestBrowser, tab: TestTab): Promise<ActivityPage['items']> {
  for (;;) {
    const pushed = nextEvent(tab.socket, 'activity:changed', 5000);
    const items = (await browser.request<ActivityPage>('GET', '/api/activity')).body.items.filter((i) => i.kind === 'expired');
    if (items.length > 0) {
      pushed.catch(() => undefined);
      return items;
    }
    await pushed;
  }
}

describe.skipIf(!available)('a session that expires with no tab open, on two nodes sharing Redis', () => {
  const clock = createManualClock(Date.now());
  let cluster: Nodes;
  let a: DashboardServer;
  let b: DashboardServer;
  let redis: ReturnType<typeof createClient>;
  beforeAll(async () => {
    cluster = await startNodes({ clock, env: { SESSION_IDLE_TIMEOUT_MS: String(30 * MINUTE), SESSION_ABSOLUTE_TIMEOUT_MS: String(60 * MINUTE) } });
    [a, b] = cluster.nodes as [DashboardServer, DashboardServer];
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
  });
  afterAll(async () => {
    await redis?.close();
    await cluster?.close();
  });

  /**
   * A user signed in on node A (the laptop, with no tab unless `laptopTabOn`), and on node B with
   * one tab (the phone) 20 minutes later.
   */
  async function signedInTwice(base: string, laptopTabOn?: DashboardServer): Promise<{ laptop: TestBrowser; laptopTab?: TestTab; phone: TestBrowser; phoneTab: TestTab; userId: string; laptopSid: string }> {
    const name = username(base);
    const laptop = a.browser();
    const registered = await laptop.register(name, PASSWORD);
    expect(registered.status).toBe(201);
    const laptopTab = laptopTabOn ? await laptop.on(laptopTabOn).openTab() : undefined;
    clock.advance(20 * MINUTE);
    const phone = b.browser();
    expect((await phone.login(name, PASSWORD)).status).toBe(200);
    const phoneTab = await phone.openTab();
    return { laptop, ...(laptopTab ? { laptopTab } : {}), phone, phoneTab, userId: (registered.body as SignedIn).user.id, laptopSid: laptop.sessionId! };
  }

  it('passing its idle deadline, it is recorded once as an idle expiry and leaves the session list', async () => {
    const { phone, phoneTab, userId, laptopSid } = await signedInTwice('idle');
    const ends = endsDecided([a, b]);
    const unregistered = listChanged([a, b], userId);
    // 31 minutes after the laptop's last request: both nodes' sweeps find it due.
    clock.advance(11 * MINUTE);
    await sweepBoth([a, b]);
    await unregistered;
    const items = await expiries(phone, phoneTab);
    expect(items).toHaveLength(1);
    expect(items[0]!.detail).toMatchObject({ deadline: 'idle' });
    expect(ends.filter((e) => e.sessionId === laptopSid)).toEqual([{ node: expect.any(Number), sessionId: laptopSid, deadline: 'idle' }]);
    // The registry itself (not a list that prunes what it cannot find) holds only the phone.
    expect((await a.tether.lifecycle.registry.list(userId)).map((e) => e.sessionId)).toEqual([phone.sessionId]);
    const listed = (await phone.sessions()).sessions;
    expect(listed.map((s) => s.current)).toEqual([true]);
    phone.closeTabs();
  });

  it('passing its absolute deadline after Redis dropped the entry by its TTL, it is recorded once as an absolute expiry', async () => {
    const { laptop, phone, phoneTab, userId, laptopSid } = await signedInTwice('absolute');
    // Active on the laptop until the absolute deadline (60 min) comes before the idle one.
    expect((await laptop.request('GET', '/api/session')).status).toBe(200);
    clock.advance(25 * MINUTE);
    expect((await laptop.request('GET', '/api/session')).status).toBe(200);
    expect((await phone.request('GET', '/api/session')).status).toBe(200);
    clock.advance(14 * MINUTE);
    // What Redis does at the entry's TTL: the entry goes and no node hears of it.
    expect(await redis.del(redisKeys(cluster.redisPrefix).session(laptopSid))).toBe(1);
    const ends = endsDecided([a, b]);
    const unregistered = listChanged([a, b], userId);
    clock.advance(2 * MINUTE);
    await sweepBoth([a, b]);
    await unregistered;
    const items = await expiries(phone, phoneTab);
    expect(items).toHaveLength(1);
    expect(items[0]!.detail).toMatchObject({ deadline: 'absolute' });
    expect(ends.filter((e) => e.sessionId === laptopSid)).toEqual([{ node: expect.any(Number), sessionId: laptopSid, deadline: 'absolute' }]);
    expect((await a.tether.lifecycle.registry.list(userId)).map((e) => e.sessionId)).toEqual([phone.sessionId]);
    phone.closeTabs();
  });

  it('with a tab open on node B, the tab gets one session:ended and the expiry is recorded once', async () => {
    // The laptop's tab is on node B, whose deadline timer and both nodes' sweeps all see it expire.
    const { laptopTab, phone, phoneTab, laptopSid } = await signedInTwice('tab', b);
    if (!laptopTab) throw new Error('no laptop tab');
    const ends = endsDecided([a, b]);
    clock.advance(11 * MINUTE);
    await sweepBoth([a, b]);
    expect(await laptopTab.ended(3000)).toBe('expired');
    const items = await expiries(phone, phoneTab);
    await laptopTab.disconnected();
    expect(items).toHaveLength(1);
    expect(items[0]!.detail).toMatchObject({ deadline: 'idle' });
    expect(laptopTab.endings).toEqual(['expired']);
    expect(ends.filter((e) => e.sessionId === laptopSid)).toEqual([{ node: expect.any(Number), sessionId: laptopSid, deadline: 'idle' }]);
    phone.closeTabs();
  });
});

describe.skipIf(!clusterAvailable)('a session that expires with no tab open, on two nodes on a 3-master Redis Cluster', () => {
  const clock = createManualClock(Date.now());
  const nodes = twoNodesOnOwnCluster({ clock });

  it("the index (one slot) and the claim (the session's slot) end it once, recorded and unregistered", async () => {
    const name = username('clidle');
    const { a, b } = nodes;
    const laptop = a.browser();
    const registered = await laptop.register(name, PASSWORD);
    const userId = (registered.body as SignedIn).user.id;
    const laptopSid = laptop.sessionId!;
    clock.advance(20 * MINUTE);
    const phone = b.browser();
    expect((await phone.login(name, PASSWORD)).status).toBe(200);
    const phoneTab = await phone.openTab();
    const ends = endsDecided([a, b]);
    const unregistered = listChanged([a, b], userId);
    clock.advance(11 * MINUTE);
    await sweepBoth([a, b]);
    await unregistered;
    const items = await expiries(phone, phoneTab);
    expect(items.map((i) => i.detail)).toEqual([expect.objectContaining({ deadline: 'idle' })]);
    expect(ends.filter((e) => e.sessionId === laptopSid)).toHaveLength(1);
    expect((await a.tether.lifecycle.registry.list(userId)).map((e) => e.sessionId)).toEqual([phone.sessionId]);
    phone.closeTabs();
  });
});
