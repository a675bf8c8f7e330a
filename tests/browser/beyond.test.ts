// In Chromium, by accessible names: the new sign-in notice with "Not you? Revoke", "Recent activity" live, and step-up's dialog.
import { describe, expect, it } from 'vitest';
import { END_REASON_MESSAGES } from '../../shared/reasons.js';
import { browserKit, createAccount, expectSignedIn, expectSignedOut, panel, PASSWORD, sessionRows, signIn } from './support.js';

const kit = browserKit();
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

describe.skipIf(!kit.available)('the account beyond sessions, in Chromium', () => {
  it('a sign-in elsewhere shows a status notice in the other tab; "Not you? Revoke" ends it on one click', async () => {
    const server = await kit.server();
    const laptop = await kit.page(await kit.context(), server.url);
    await createAccount(laptop, 'grace');
    const activity = panel(laptop, 'Recent activity');
    await activity.getByText('Nothing yet.').waitFor();

    const phone = await kit.page(await kit.context({ userAgent: PHONE_UA }), server.url);
    await signIn(phone, 'grace');

    const notice = laptop.getByRole('status').filter({ hasText: 'New sign-in' });
    await notice.waitFor();
    await expect.poll(() => notice.textContent()).toMatch(/New sign-in: Chrome on Android, IP 127\.0\.0\.1, at \d/);
    // The history updated live too.
    await activity.getByRole('listitem').filter({ hasText: 'Signed in' }).waitFor();

    await notice.getByRole('button', { name: 'Not you? Revoke', exact: true }).click();
    await expectSignedOut(phone, END_REASON_MESSAGES.revoked);
    expect(await laptop.getByRole('dialog').count()).toBe(0);
    await laptop.getByText('That session was revoked.').waitFor();
    await activity.getByRole('listitem').filter({ hasText: 'Revoked a session' }).waitFor();
    await expect.poll(() => sessionRows(laptop).count()).toBe(1);
  });

  it('revoking another session after SESSION_FRESH_MS asks "Confirm your password", then revokes', async () => {
    const freshMs = 2000;
    const server = await kit.server({ SESSION_FRESH_MS: String(freshMs) });
    const laptop = await kit.page(await kit.context(), server.url);
    await createAccount(laptop, 'ada');
    const phone = await kit.page(await kit.context(), server.url);
    await signIn(phone, 'ada');
    await expect.poll(() => sessionRows(laptop).count()).toBe(2);
    // Both sign-ins are past the fresh window (a fixed span past a known deadline, not a guess).
    await laptop.waitForTimeout(freshMs + 500);
    await laptop.getByRole('button', { name: 'Dismiss', exact: true }).click();

    await sessionRows(laptop).getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = laptop.getByRole('dialog', { name: 'Confirm your password', exact: true });
    await dialog.waitFor();
    await dialog.getByLabel('Password', { exact: true }).fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.getByRole('alert').filter({ hasText: 'That password is wrong.' }).waitFor();
    await expectSignedIn(phone, 'ada');

    await dialog.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The act is retried once the password is confirmed.
    await expectSignedOut(phone, END_REASON_MESSAGES.revoked);
    await expect.poll(() => sessionRows(laptop).count()).toBe(1);
    await panel(laptop, 'Recent activity').getByRole('listitem').filter({ hasText: 'Confirmed the password' }).waitFor();
  });
});
