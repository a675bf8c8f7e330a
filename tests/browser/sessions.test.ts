// In Chromium: one user on two browsers (contexts): revoke, sign out everywhere, and idle expiry of the untouched one.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { END_REASON_MESSAGES, EXPIRED_MESSAGES } from '../../shared/reasons.js';
import { browserKit, createAccount, expectSignedIn, expectSignedOut, sessionRows, signIn } from './support.js';

const kit = browserKit();

/** Two browsers of one user: `laptop` created the account, `phone` signed in; both show two sessions. */
async function twoBrowsers(env: Record<string, string> = {}) {
  const server = await kit.server(env);
  const laptop = await kit.page(await kit.context(), server.url);
  await createAccount(laptop, 'hedy');
  const phone = await kit.page(await kit.context({ viewport: { width: 390, height: 844 } }), server.url);
  await signIn(phone, 'hedy');
  // The laptop's list updates live when the phone's session starts.
  await expect.poll(() => sessionRows(laptop).count()).toBe(2);
  return { server, laptop, phone };
}

describe.skipIf(!kit.available)('one user on two browsers, in Chromium', () => {
  it('revoke one from the other: the revoked one shows Sign in with the revoked sentence', async () => {
    const { laptop, phone } = await twoBrowsers();
    const other = sessionRows(laptop).filter({ has: laptop.getByRole('button', { name: 'Revoke', exact: true }) });
    expect(await other.count()).toBe(1);
    await other.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expectSignedOut(phone, END_REASON_MESSAGES.revoked);
    await expect.poll(() => sessionRows(laptop).count()).toBe(1);
    await expectSignedIn(laptop, 'hedy');
  });

  it('sign out everywhere: both browsers show Sign in with the sentence', async () => {
    const { laptop, phone } = await twoBrowsers();
    await laptop.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await expectSignedOut(laptop, END_REASON_MESSAGES.logout_everywhere);
    await expectSignedOut(phone, END_REASON_MESSAGES.logout_everywhere);
  });

  it('a short idle timeout expires the browser nobody touches, while activity keeps the other alive', async () => {
    const idleMs = 8000;
    const { server, laptop, phone } = await twoBrowsers({ SESSION_IDLE_TIMEOUT_MS: String(idleMs) });
    const signedInAt = Date.now();
    // The laptop's user moves the mouse and presses a key every second; nobody touches the phone.
    let moving = true;
    const activity = (async () => {
      for (let i = 0; moving; i += 1) {
        await laptop.mouse.move(100 + (i % 2) * 200, 300);
        if (i % 3 === 0) await laptop.keyboard.press('Shift');
        await laptop.waitForTimeout(1000);
      }
    })();
    try {
      // The phone warns a little before (with "Stay signed in"), then ends with the expired sentence.
      await phone.getByRole('button', { name: 'Stay signed in', exact: true }).waitFor({ timeout: idleMs + 2000 });
      await expectSignedOut(phone, EXPIRED_MESSAGES.idle, idleMs + 3000);
      // The laptop outlives two idle timeouts from its sign-in.
      await laptop.waitForTimeout(Math.max(0, signedInAt + 2 * idleMs - Date.now()));
      await expectSignedIn(laptop, 'hedy');
      expect(await laptop.getByRole('button', { name: 'Stay signed in', exact: true }).count()).toBe(0);
      expect(await sessionState(laptop, server.url)).toBe('hedy');
    } finally {
      moving = false;
      await activity;
    }
  }, 45_000);
});

/** Who the server says is signed in, asked as a background request (so the asking is not activity). */
async function sessionState(page: Page, url: string): Promise<string | null> {
  return page.evaluate(async (base) => {
    const res = await fetch(`${base}/api/session`, { headers: { 'X-Tether-Background': '1' } });
    const body = (await res.json()) as { user: { username: string } | null };
    return body.user?.username ?? null;
  }, url);
}
