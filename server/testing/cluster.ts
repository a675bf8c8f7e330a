// Several nodes of any app on one redis-server of the test's own, with faults: pause or kill Redis, kill a node.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { TestBrowserOptions } from './browser-options.js';
import { ownRedis, type OwnRedis } from './own-redis.js';
import type { ServerToClientEvents } from '../../shared/events.js';
import { startTestServer, type TestableApp, type TestServer } from './start-test-server.js';
import type { TestBrowser } from './test-browser.js';
import type { ServerEvents } from './test-tab.js';

/** What one node of the app is told: which Redis to use and under which prefix. */
export interface ClusterNodeContext {
  index: number;
  redisUrl: string;
  redisPrefix: string;
}

export interface TestClusterOptions {
  /** How many nodes (default 2). */
  nodes?: number;
  /** Builds one node of the app, not listening yet. */
  app(node: ClusterNodeContext): Server | TestableApp | Promise<Server | TestableApp>;
  /** Defaults for every browser (the app's routes, cookie name, socket path). */
  browser?: TestBrowserOptions;
}

export interface TestClusterNode<S2C extends ServerEvents<S2C> = ServerToClientEvents> extends TestServer<S2C> {
  readonly index: number;
  /** Drops every connection of the node at once and stops it, as a crash would. */
  kill(): Promise<void>;
}

/** `S2C`: the app's server→client event map, which types every tab's `nextEvent`/`noEvent`. */
export interface TestCluster<S2C extends ServerEvents<S2C> = ServerToClientEvents> {
  readonly nodes: TestClusterNode<S2C>[];
  /** The cluster's own redis-server: `pause()`, `resume()`, `stop()` (kill), `start()`. */
  readonly redis: OwnRedis;
  /** A browser talking to node 0; `browser.on(cluster.nodes[1])` is the same browser on node 1. */
  browser(options?: string | TestBrowserOptions): TestBrowser<S2C>;
  close(): Promise<void>;
}

/**
 * Needs `redis-server` on PATH.
 * @example const cluster = await startTestCluster({ nodes: 2, app: ({ redisUrl, redisPrefix }) => createApp(redisUrl, redisPrefix) });
 *          const ann = cluster.browser(); await ann.login('ann', 'pw');
 *          const tab = await ann.on(cluster.nodes[1]!).openTab();
 *          cluster.redis.pause(); await ann.logout(); cluster.redis.resume();
 *          expect(await tab.ended()).toBe('logout');
 */
export async function startTestCluster<S2C extends ServerEvents<S2C> = ServerToClientEvents>(options: TestClusterOptions): Promise<TestCluster<S2C>> {
  const redis = await ownRedis();
  await redis.start();
  const redisPrefix = `tether-cluster-${randomBytes(4).toString('hex')}:`;
  const nodes: TestClusterNode<S2C>[] = [];
  const close = async (): Promise<void> => {
    redis.resume();
    await Promise.allSettled(nodes.map((node) => node.close()));
    await redis.stop();
  };
  try {
    for (let index = 0; index < (options.nodes ?? 2); index += 1) {
      let made: Server | TestableApp | undefined;
      const server = await startTestServer<S2C>(
        async () => {
          made = await options.app({ index, redisUrl: redis.url, redisPrefix });
          return made;
        },
        options.browser ? { browser: options.browser } : {},
      );
      let closed: Promise<void> | undefined;
      const stop = (): Promise<void> => (closed ??= server.close());
      nodes.push({
        ...server,
        index,
        close: stop,
        async kill() {
          const httpServer = made && 'httpServer' in made ? made.httpServer : made;
          httpServer?.closeAllConnections();
          await stop();
        },
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    nodes,
    redis,
    browser: (browserOptions) => nodes[0]!.browser(browserOptions),
    close,
  };
}
