// In Chromium behind a proxy that refuses WebSocket upgrades: the page works over long-polling, end of session included.
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { END_REASON_MESSAGES } from '../../shared/reasons.js';
import { browserKit, createAccount, expectSignedOut, panel, PASSWORD } from './support.js';
import { startNoUpgradeProxy, type NoUpgradeProxy } from './no-upgrade-proxy.js';

const kit = browserKit();
let proxies: NoUpgradeProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  proxies = [];
});

/** Waits until the panel's live view has joined over the socket (its badge says Live, not Connecting…). */
const live = (page: Page, name: string) => panel(page, name).getByText('Live', { exact: true }).waitFor();

describe.skipIf(!kit.available)('when a proxy between the tab and the server refuses WebSocket upgrades', () => {
  it('the tab goes live over long-polling and still hears a sign-out made elsewhere', async () => {
    const proxy = await startNoUpgradeProxy();
    proxies.push(proxy);
    const server = await kit.server({ ALLOWED_ORIGINS: proxy.url });
    proxy.target = server.url;

    const page = await kit.page(await kit.context(), proxy.url);
    await createAccount(page, 'polly');
    await Promise.all(['Shared counter', "Who's online", 'Server status', 'Theme'].map((name) => live(page, name)));

    // The page asked to upgrade, was refused, and its socket is on long-polling (the server's view).
    expect(proxy.upgradeAttempts).toBeGreaterThanOrEqual(1);
    expect(proxy.pollingRequests).toBeGreaterThan(0);
    const sockets = [...server.tether.io.of('/').sockets.values()];
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    expect(sockets.map((socket) => socket.conn.transport.name)).toEqual(sockets.map(() => 'polling'));

    // Another device (straight to the server, not through the proxy) signs the user out everywhere.
    const other = server.browser();
    expect((await other.login('polly', PASSWORD)).status).toBe(200);
    expect((await other.logoutEverywhere()).status).toBe(204);
    await expectSignedOut(page, END_REASON_MESSAGES.logout_everywhere);
  }, 60_000); // several page loads, sign-up and a wait for a server push: slow on a loaded 2-core machine
});
