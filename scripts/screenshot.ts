// Saves docs/dashboard.png: the dashboard of a real server, with two users signed in and real live data.
// Run: npx tsx scripts/screenshot.ts [--theme=light|dark] [--width=1280] [--out=docs/dashboard.png]
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { startDashboard } from '../tests/support/dashboard.js';
import { launchChromium, PASSWORD } from '../tests/browser/support.js';
import { ensureClient } from './ensure-client.js';

const { values } = parseArgs({
  options: {
    theme: { type: 'string', default: 'light' },
    width: { type: 'string', default: '1280' },
    out: { type: 'string', default: 'docs/dashboard.png' },
  },
});
const width = Number(values.width);
if (!(width >= 320)) throw new Error(`--width: expected a number of pixels >= 320, got ${values.width}`);
if (values.theme !== 'light' && values.theme !== 'dark') throw new Error(`--theme: expected light or dark, got ${values.theme}`);

// Real browsers' names in the sessions list, rather than three "Headless Chrome on Linux".
const AGENTS = {
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:141.0) Gecko/20100101 Firefox/141.0',
};

async function signUp(context: BrowserContext, url: string, username: string, action: 'Create account' | 'Sign in'): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error (${username}): ${error.message}`));
  await page.goto(url);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: action, exact: true }).click();
  await page.getByRole('heading', { name: `Signed in as ${username}`, exact: true }).waitFor();
  return page;
}

/** Waits for the status panel's next push (its "Updated …" line changes), at most 5 s. */
async function nextStatusPush(page: Page): Promise<void> {
  const updated = page.getByRole('region', { name: 'Server status' }).getByText(/^Updated /);
  const before = await updated.textContent();
  for (const until = Date.now() + 5000; Date.now() < until && (await updated.textContent()) === before; ) await page.waitForTimeout(100);
}

if (await ensureClient()) console.log('client built into dist/client');
const server = await startDashboard({ staticDir: 'dist/client' });
const browser = await launchChromium();
try {
  const viewport = { width, height: 900 };
  const laptop = await browser.newContext({ viewport, userAgent: AGENTS.mac, colorScheme: 'light' });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, userAgent: AGENTS.iphone });
  const bobsPc = await browser.newContext({ viewport, userAgent: AGENTS.windows });

  const alice = await signUp(laptop, server.url, 'alice', 'Create account');
  // One mistyped password on the phone first: "Recent activity" counts it.
  const typo = await phone.newPage();
  await typo.goto(server.url);
  await typo.getByLabel('Username', { exact: true }).fill('alice');
  await typo.getByLabel('Password', { exact: true }).fill('not the password');
  await typo.getByRole('button', { name: 'Sign in', exact: true }).click();
  await typo.getByRole('alert').waitFor();
  await typo.close();
  await signUp(phone, server.url, 'alice', 'Sign in');
  const bob = await signUp(bobsPc, server.url, 'bob', 'Create account');
  await bob.context().newPage().then((tab) => tab.goto(server.url)); // bob's second tab

  // The shared counter: a few clicks from bob, then the last one from alice.
  const plusOne = (page: Page) => page.getByRole('region', { name: 'Shared counter' }).getByRole('button', { name: '+1', exact: true });
  for (let i = 0; i < 4; i += 1) await plusOne(bob).click();
  await plusOne(alice).click();
  await alice.getByText('Last changed by alice').waitFor();

  if (values.theme === 'dark') await alice.getByRole('radio', { name: 'Dark', exact: true }).check();
  // Presence shows both users, bob with his two tabs; the list shows alice's two sessions; the
  // status panel has had a push.
  const online = alice.getByRole('list', { name: "Who's online" });
  await online.getByRole('listitem').filter({ hasText: 'bob' }).getByText('2 tabs').waitFor();
  await alice.getByRole('list', { name: 'Your sessions' }).getByRole('listitem').nth(1).waitFor();
  // The phone's sign-in reached the laptop as a notice, and the history shows it.
  await alice.getByRole('status').filter({ hasText: 'New sign-in' }).waitFor();
  await alice.getByRole('region', { name: 'Recent activity' }).getByRole('listitem').filter({ hasText: 'failed sign-in' }).waitFor();
  await nextStatusPush(alice);
  await alice.mouse.move(0, 0);

  mkdirSync(dirname(values.out), { recursive: true });
  await alice.screenshot({ path: values.out, fullPage: true });
  console.log(`saved ${values.out}`);
} finally {
  await browser.close();
  await server.close();
}
