// In Chromium: the dashboard's live views: the shared counter, who's online, the session's theme.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserKit, createAccount, expectSignedIn, panel } from './support.js';

const kit = browserKit();

const counter = (page: Page) => panel(page, 'Shared counter');
const online = (page: Page) => page.getByRole('list', { name: "Who's online", exact: true }).getByRole('listitem');
/** Waits until the panel's live view has joined (its badge says Live). */
const live = (page: Page, name: string) => panel(page, name).getByText('Live', { exact: true }).waitFor();

describe.skipIf(!kit.available)('live views, in Chromium', () => {
  it('the shared counter changed by one user appears for another', async () => {
    const server = await kit.server();
    const ann = await kit.page(await kit.context(), server.url);
    await createAccount(ann, 'ann');
    const ben = await kit.page(await kit.context(), server.url);
    await createAccount(ben, 'ben');
    await Promise.all([live(ann, 'Shared counter'), live(ben, 'Shared counter')]);
    expect(await counter(ben).getByText('Nobody has changed it yet.').count()).toBe(1);

    await counter(ann).getByRole('button', { name: '+1', exact: true }).click();
    await counter(ann).getByRole('button', { name: '+1', exact: true }).click();
    await counter(ben).getByText('Last changed by ann at', { exact: false }).waitFor();
    await expect.poll(() => counter(ben).locator('.count').textContent()).toBe('2');

    await counter(ben).getByRole('button', { name: '−1', exact: true }).click();
    await expect.poll(() => counter(ann).locator('.count').textContent()).toBe('1');
    await counter(ann).getByText('Last changed by ben at', { exact: false }).waitFor();
    await counter(ann).getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => counter(ben).locator('.count').textContent()).toBe('0');
  });

  it('after a dropped connection, the page reconnects and every panel rejoins and follows again', async () => {
    const server = await kit.server();
    const fay = await kit.page(await kit.context(), server.url);
    await createAccount(fay, 'fay');
    const gus = await kit.page(await kit.context(), server.url);
    await createAccount(gus, 'gus');
    await Promise.all([live(fay, 'Shared counter'), live(gus, 'Shared counter')]);
    await fay.evaluate(() => Object.assign(window, { tetherMarker: 'same page' }));

    // Fay's connection drops under the page (as a network failure would), with no word about the session.
    const fayId = await fay.evaluate(async () => ((await (await fetch('/api/session', { headers: { 'X-Tether-Background': '1' } })).json()) as { user: { id: string } }).user.id);
    const sockets = [...server.tether.io.of('/').sockets.values()].filter((socket) => socket.data.userId === fayId);
    expect(sockets).toHaveLength(1);
    for (const socket of sockets) socket.conn.close();

    // A new socket, every panel joined on it again, and patches reach it.
    await expect.poll(() => [...server.tether.io.of('/').sockets.values()].filter((socket) => socket.data.userId === fayId && !sockets.includes(socket)).length).toBe(1);
    await Promise.all(['Shared counter', "Who's online", 'Server status', 'Theme'].map((name) => live(fay, name)));
    await counter(gus).getByRole('button', { name: '+1', exact: true }).click();
    await expect.poll(() => counter(fay).locator('.count').textContent()).toBe('1');
    await expectSignedIn(fay, 'fay');
    expect(await fay.evaluate(() => (window as unknown as { tetherMarker?: string }).tetherMarker)).toBe('same page');
  });

  it('presence shows the second user, with their tabs, and drops them when they sign out', async () => {
    const server = await kit.server();
    const cleo = await kit.page(await kit.context(), server.url);
    await createAccount(cleo, 'cleo');
    await online(cleo).filter({ hasText: 'cleo' }).waitFor();
    expect(await online(cleo).count()).toBe(1);

    const dansBrowser = await kit.context();
    const dan = await kit.page(dansBrowser, server.url);
    await createAccount(dan, 'dan');
    await online(cleo).filter({ hasText: 'dan' }).filter({ hasText: '1 tab' }).waitFor();
    const secondTab = await kit.page(dansBrowser, server.url);
    await expectSignedIn(secondTab, 'dan');
    await online(cleo).filter({ hasText: 'dan' }).filter({ hasText: '2 tabs' }).waitFor();
    // Dan sees Cleo too, and himself marked.
    await online(dan).filter({ hasText: 'cleo' }).waitFor();
    await online(dan).filter({ hasText: 'dan (you)' }).waitFor();

    await dan.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => online(cleo).filter({ hasText: 'dan' }).count()).toBe(0);
  });

  it('the theme set in one tab applies to the other tab of the same session', async () => {
    const server = await kit.server();
    const browser = await kit.context({ colorScheme: 'light' });
    const one = await kit.page(browser, server.url);
    await createAccount(one, 'eve');
    const two = await kit.page(browser, server.url);
    await expectSignedIn(two, 'eve');
    await Promise.all([live(one, 'Theme'), live(two, 'Theme')]);
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const lightBackground = await background(two);

    await one.getByRole('radio', { name: 'Dark', exact: true }).check();
    for (const page of [one, two]) await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await two.getByRole('radio', { name: 'Dark', exact: true }).isChecked()).toBe(true);
    expect(await background(two)).not.toBe(lightBackground);
    expect(await background(one)).toBe(await background(two));

    // Saved in the session: a reload starts dark (from /api/session), before its live view joins.
    await two.reload();
    await expectSignedIn(two, 'eve');
    expect(await two.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    // Back to the system's choice (light here) in both.
    await live(two, 'Theme');
    await two.getByRole('radio', { name: 'System', exact: true }).check();
    await expect.poll(() => one.evaluate(() => document.documentElement.dataset.theme ?? 'system')).toBe('system');
    expect(await background(one)).toBe(lightBackground);
  });
});
