// A rolling restart: one of two nodes behind a balancer drains under load; every tab moves, no session is lost.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveSocket, type LiveSocket, type TetherClientSocket } from '../../client/toolkit/index.js';
import { drainAndClose } from '../../server/ops/shutdown.js';
import { nextEvent, type TestBrowser } from '../../server/testing/index.js';
import type { DashboardServer } from '../support/dashboard.js';
import { gatedHasher } from '../support/gated-hasher.js';
import { servicesAvailable } from '../support/services.js';
import { startBalancer, type Balancer } from './balancer.js';
import { PASSWORD, startNodes, twoNodes, username, waitFor, type Nodes } from './nodes.js';

const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);

const USERS = 6;
const TABS_PER_USER = 6;

/** A tab as the page runs it: the real client live socket (reconnects, jitter), over the balancer. */
function pageTab(balancer: Balancer, browser: TestBrowser, state: { disconnects: number; ended: number; refused: string[] }): LiveSocket {
  const open = (auth: { csrfToken: string }): TetherClientSocket =>
    io(balancer.url, { path: '/socket.io', transports: ['websocket'], auth, reconnection: false, forceNew: true, extraHeaders: { cookie: browser.cookieHeader, origin: balancer.url } });
  return openLiveSocket({
    csrfToken: browser.csrfToken ?? '',
    open,
    moveJitterMs: 200,
    onConnect: () => {},
    onEnded: () => (state.ended += 1),
    onRenewed: () => {},
    onDeadlines: () => {},
    onSessionsChanged: () => {},
    onRefused: (code) => state.refused.push(code),
    onPatch: () => {},
    onDisconnect: () => (state.disconnects += 1),
  });
}

describe.skipIf(!available)('when one of two nodes behind a balancer drains while tabs are open on both', () => {
  let cluster: Nodes;
  let a: DashboardServer;
  let b: DashboardServer;
  let balancer: Balancer;
  beforeAll(async () => {
    // The balancer first (its port is the nodes' allowed origin); it routes nowhere until they exist.
    balancer = await startBalancer(() => (cluster ? [a.port, b.port] : []));
    cluster = await startNodes({ env: { ALLOWED_ORIGINS: balancer.url, DRAIN_MS: '1000' } });
    [a, b] = cluster.nodes as [DashboardServer, DashboardServer];
  });
  afterAll(async () => {
    await balancer?.close();
    await cluster?.close();
  });

  it('moves every tab to the other node within DRAIN_MS, refuses new handshakes with draining, and loses no session', async () => {
    const state = { disconnects: 0, ended: 0, refused: [] as string[] };
    const browsers: TestBrowser[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const browser = a.browser().on(balancer.url);
      expect((await browser.register(username('drain'), PASSWORD)).status).toBe(201);
      browsers.push(browser);
    }
    const tabs = browsers.flatMap((browser) => Array.from({ length: TABS_PER_USER }, () => pageTab(balancer, browser, state)));
    const total = USERS * TABS_PER_USER;
    const count = (node: DashboardServer): number => node.tether.io.of('/').sockets.size;
    await waitFor('every tab connected', async () => tabs.every((t) => t.connected));
    // The balancer spread them: both nodes carry tabs before the drain.
    expect(count(a)).toBeGreaterThan(0);
    expect(count(b)).toBeGreaterThan(0);
    expect(count(a) + count(b)).toBe(total);
    const onA = count(a);

    const started = Date.now();
    const drained = drainAndClose(a.tether);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    // A handshake that still reaches the draining node is refused with the retryable code.
    expect(await browsers[0]!.on(a).refusedTab({ origin: balancer.url })).toBe('draining');
    // Not all at once: right after the start most of A's tabs are still there.
    expect(count(a)).toBeGreaterThan(onA / 2);
    await drained;
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    await waitFor('every tab reconnected to node B', async () => count(b) === total && tabs.every((t) => t.connected), 5000);
    expect(state.ended).toBe(0);
    expect(state.refused).toEqual([]);
    expect(state.disconnects).toBe(onA);
    // Every session still works with the same cookie, through the balancer (now only B).
    for (const browser of browsers) {
      const list = await browser.sessions();
      expect(list.sessions).toHaveLength(1);
      expect(list.sessions[0]?.sockets).toBe(TABS_PER_USER);
    }
    for (const tab of tabs) tab.close();
  });
});

describe.skipIf(!available)('when a node drains while a sign-in on it is still checking the password', () => {
  const hasher = gatedHasher();
  const nodes = twoNodes({ hasher, env: { DRAIN_MS: '0' } });

  it('the sign-in gets its normal answer and its pushes before the node exits, its session works on the other node, and new requests are refused', async () => {
    const { a, b } = nodes;
    const user = username('inflight');
    const laptop = a.browser();
    expect((await laptop.register(user, PASSWORD)).status).toBe(201);
    const laptopTab = await laptop.on(b).openTab();
    const browser = a.browser();
    const gate = hasher.hold(PASSWORD, 1);
    const signingIn = browser.login(user, PASSWORD);
    await gate.arrived;

    let closed = false;
    const closing = drainAndClose(a.tether).then(() => (closed = true));
    await waitFor('node A stops listening', async () => !a.tether.httpServer.listening);
    // A new request finds nobody listening; the one in flight holds the close open.
    await expect(fetch(`${a.url}/readyz`)).rejects.toThrow();
    expect(closed).toBe(false);

    const notice = nextEvent(laptopTab.socket, 'sessions:signed-in', 5000);
    const listChanged = nextEvent(laptopTab.socket, 'sessions:changed', 5000);
    gate.release();
    const signedIn = await signingIn;
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ user: { username: user } });
    // Its connection closes with the answer: the node does not wait out the keep-alive to exit.
    expect(signedIn.headers.get('connection')).toBe('close');
    await closing;
    // The user's other tabs heard of the new session, as after any sign-in.
    await Promise.all([notice, listChanged]);

    const elsewhere = browser.on(b);
    expect((await elsewhere.session()).user).toMatchObject({ username: user });
    const tab = await elsewhere.openTab();
    expect(tab.connected).toBe(true);
    tab.close();
  });
});
