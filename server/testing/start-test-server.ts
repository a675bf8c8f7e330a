// Starts any app's HTTP server on port 0 for a test, with simulated browsers pointed at it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerToClientEvents } from '../../shared/events.js';
import type { TestBrowserOptions } from './browser-options.js';
import { TestBrowser } from './test-browser.js';
import type { ServerEvents } from './test-tab.js';

/** An app as the kit starts it: its HTTP server (Express + Socket.IO on it), and how to stop it. */
export interface TestableApp {
  httpServer: Server;
  close?(): Promise<void> | void;
}

/** `S2C`: the app's server→client events, which its tabs' `nextEvent` / `noEvent` are typed by. */
export interface TestServer<S2C extends ServerEvents<S2C> = ServerToClientEvents> {
  url: string;
  origin: string;
  port: number;
  /** A new simulated browser (its own cookie jar) against this server. */
  browser(options?: string | TestBrowserOptions): TestBrowser<S2C>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1, port 0. `browser` defaults apply to every `server.browser()`.
 * @example const server = await startTestServer<AppServerEvents>(() => createApp(), { browser: { routes: { login: '/signin' } } });
 *          const ann = server.browser(); await ann.login('ann', 'pw'); const tab = await ann.openTab();
 *          const message = await tab.nextEvent('chat'); // typed by AppServerEvents['chat']
 */
export async function startTestServer<S2C extends ServerEvents<S2C> = ServerToClientEvents>(
  app: Server | TestableApp | (() => Server | TestableApp | Promise<Server | TestableApp>),
  options: { browser?: TestBrowserOptions } = {},
): Promise<TestServer<S2C>> {
  const made = typeof app === 'function' ? await app() : app;
  const started: TestableApp = 'httpServer' in made ? made : { httpServer: made };
  const { httpServer } = started;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const browsers: TestBrowser<S2C>[] = [];
  return {
    url,
    origin: url,
    port,
    browser(browserOptions) {
      const merged = typeof browserOptions === 'string' ? { ...options.browser, userAgent: browserOptions } : { ...options.browser, ...browserOptions };
      const browser = new TestBrowser<S2C>(url, merged);
      browsers.push(browser);
      return browser;
    },
    async close() {
      for (const browser of browsers) browser.closeTabs();
      if (started.close) await started.close();
      else await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
    },
  };
}
