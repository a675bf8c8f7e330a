// What the browser tests share: one Chromium per file, a server per test, pages that record their errors.
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import type { Env } from '../../server/config.js';
import { CHROMIUM_PATH, failIfRequired } from '../support/services.js';

/** The flags of a quiet, sandbox-free headless Chromium (containers, CI): no network of its own, no GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PASSWORD = 'correct horse battery';

/** Launches Debian's Chromium (or CHROMIUM_PATH). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/**
 * Console messages Chromium itself prints for requests the tests make fail on purpose: a 4xx
 * answer (a 401 after a session ended, a 409 while a renewal settles) or a refused WebSocket.
 */
const EXPECTED_CONSOLE = [/^Failed to load resource: the server responded with a status of 4\d\d/, /^WebSocket connection to .* failed/];

export interface TrackedPage {
  page: Page;
  /** Page errors and unexpected console errors, as they happened. */
  errors: string[];
}

/**
 * Everything a browser test file needs, set up once per file: whether Chromium is there (the global
 * setup checked, and said so in one line; under CI=true / REQUIRE_SERVICES=1 a missing one fails
 * the file), the browser, and per test the servers and contexts it opened, closed after it, with
 * its pages checked for errors.
 * @example const kit = browserKit();
 *          describe.skipIf(!kit.available)('…', () => { it('…', async () => { const server = await kit.server(); … }); });
 */
export function browserKit() {
  const missing = inject('browserTestsMissing');
  failIfRequired(missing);
  const available = missing === null;
  let browser: Browser | undefined;
  let servers: DashboardServer[] = [];
  let contexts: BrowserContext[] = [];
  let tracked: TrackedPage[] = [];

  beforeAll(async () => {
    if (available) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const errors = tracked.flatMap((t) => t.errors);
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
    contexts = [];
    tracked = [];
    expect(errors, 'page errors and console errors').toEqual([]);
  });

  return {
    available,
    /** A real server on port 0 serving the built client; closed after the test. */
    async server(env: Env = {}): Promise<DashboardServer> {
      const server = await startDashboard({ staticDir: 'dist/client', env });
      servers.push(server);
      return server;
    },
    /** A browser profile of its own (cookies, storage): another device. */
    async context(options: BrowserContextOptions = {}): Promise<BrowserContext> {
      if (!browser) throw new Error('Chromium did not start');
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
      contexts.push(context);
      return context;
    },
    /** A tab in `context` with its errors recorded, opened at `url`. */
    async page(context: BrowserContext, url: string): Promise<Page> {
      const page = await context.newPage();
      const entry: TrackedPage = { page, errors: [] };
      tracked.push(entry);
      page.on('pageerror', (error) => entry.errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !EXPECTED_CONSOLE.some((re) => re.test(message.text()))) entry.errors.push(`console: ${message.text()}`);
      });
      page.setDefaultTimeout(10_000);
      await page.goto(url);
      return page;
    },
  };
}

/** Waits for the signed-in view of `username`. */
export async function expectSignedIn(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: `Signed in as ${username}`, exact: true }).waitFor();
}

/** Waits for the Sign in view; with `reason`, for that sentence in its role="status". */
export async function expectSignedOut(page: Page, reason?: string, timeout = 10_000): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ timeout });
  if (reason !== undefined) await expect.poll(() => page.getByRole('status').textContent(), { timeout }).toBe(reason);
}

async function fillCredentials(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

/** "Create account" on the Sign in view, then waits for the dashboard. */
export async function createAccount(page: Page, username: string, password = PASSWORD): Promise<void> {
  await fillCredentials(page, username, password);
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await expectSignedIn(page, username);
}

/** "Sign in" on the Sign in view, then waits for the dashboard of `shownAs` (the name as registered). */
export async function signIn(page: Page, username: string, { password = PASSWORD, shownAs = username }: { password?: string; shownAs?: string } = {}): Promise<void> {
  await fillCredentials(page, username, password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectSignedIn(page, shownAs);
}

/** A panel of the dashboard, by its accessible name. */
export const panel = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** The rows of "Your sessions". */
export const sessionRows = (page: Page) => page.getByRole('list', { name: 'Your sessions', exact: true }).getByRole('listitem');
