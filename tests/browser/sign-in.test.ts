// In Chromium: creating an account, signing in and out, and a second tab following without a reload.
import { describe, expect, it } from 'vitest';
import { browserKit, createAccount, expectSignedIn, expectSignedOut, sessionRows, signIn } from './support.js';

const kit = browserKit();

describe.skipIf(!kit.available)('signing in, in Chromium', () => {
  it('create an account, sign out, sign back in', async () => {
    const server = await kit.server();
    const page = await kit.page(await kit.context(), server.url);
    await createAccount(page, 'Ada_Lovelace');

    // The current session is listed and marked, with nothing to revoke.
    const row = sessionRows(page);
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.first().getAttribute('aria-current')).toBe('true');
    expect(await row.first().textContent()).toContain('This browser');
    expect(await page.getByRole('button', { name: 'Revoke', exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expectSignedOut(page, 'You signed out.');
    expect(await page.getByText('Ada_Lovelace').count()).toBe(0);

    // A wrong password says so without saying whether the user exists; the right one signs in,
    // matched case-insensitively and shown as first registered.
    await page.getByLabel('Username', { exact: true }).fill('ada_lovelace');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Wrong username or password.');
    await signIn(page, 'ada_lovelace', { shownAs: 'Ada_Lovelace' });
  });

  it('two tabs: sign out in one, the other returns to Sign in with the reason, without a reload', async () => {
    const server = await kit.server();
    const context = await kit.context();
    const first = await kit.page(context, server.url);
    await createAccount(first, 'grace');
    const second = await kit.page(context, server.url);
    await expectSignedIn(second, 'grace');
    // Survives only if the page is never reloaded or navigated.
    await second.evaluate(() => Object.assign(window, { tetherMarker: 'still here' }));
    let navigations = 0;
    second.on('framenavigated', () => (navigations += 1));

    await first.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expectSignedOut(first, 'You signed out.');
    await expectSignedOut(second, 'You signed out in another tab.');
    expect(await second.evaluate(() => (window as unknown as { tetherMarker?: string }).tetherMarker)).toBe('still here');
    expect(navigations).toBe(0);
    // Nothing of the ended session stays on screen, and the form works at once.
    expect(await second.getByText('grace').count()).toBe(0);
    await signIn(second, 'grace');
    // A signed-out tab follows a sign-in made in another tab of the same browser.
    await expectSignedIn(first, 'grace');
  });
});
