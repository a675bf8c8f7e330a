// Chooses where sessions, the session registry and users live, from the configuration.
import type { Config } from './config.js';
import type { Clock } from './sessions/index.js';
import type { Logger } from './log.js';
import { openDatabase, pingDatabase, type Database } from './db/database.js';
import { createMemorySessionStore } from './sessions/index.js';
import { createMemoryRegistry, type SessionRegistry } from './sessions/index.js';
import type { SessionStore } from './sessions/index.js';
import type { TetherServer } from './socketio/index.js';
import { createLimitStores, type LimitStores } from './express/index.js';
import type { RedisCommands } from './scale/index.js';

export interface Stores {
  store: SessionStore;
  registry: SessionRegistry;
  db: Database;
  /** Counters of the rate limits: per node here, in Redis with SESSION_STORE=redis. */
  limits: LimitStores;
  /** The command connection and REDIS_PREFIX, with SESSION_STORE=redis: for app state that nodes share. */
  redis?: { commands: RedisCommands; prefix: string };
  /** Installs a cross-node adapter on the Socket.IO server, when there is one. */
  attachAdapter(io: TetherServer): Promise<boolean>;
  /** Names of the dependencies that cannot be reached now. */
  failing(): Promise<Array<'redis' | 'database'>>;
  close(): Promise<void>;
}

export interface StoresOptions {
  config: Config;
  clock: Clock;
  log: Logger;
  /** PostgreSQL schema for this process (tests isolate runs with it). */
  pgSchema?: string;
}

/**
 * @example const stores = await createStores({ config, clock, log });
 */
export async function createStores({ config, clock, log, pgSchema }: StoresOptions): Promise<Stores> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, ...(pgSchema ? { pgSchema } : {}) });
  if (config.sessionStore === 'redis') {
    const { createRedisStores } = await import('./redis-stores.js');
    return createRedisStores({ config, clock, log, db });
  }
  const store = createMemorySessionStore({ clock, absoluteTimeoutMs: config.absoluteTimeoutMs });
  const registry = createMemoryRegistry({ now: () => clock.now(), absoluteTimeoutMs: config.absoluteTimeoutMs });
  const limits = createLimitStores();
  return {
    store,
    registry,
    db,
    limits,
    attachAdapter: async () => false,
    failing: async () => ((await probe(() => pingDatabase(db))) ? [] : ['database']),
    async close() {
      await store.close();
      await limits.close();
      await db.destroy();
    },
  };
}

/** True when `check` succeeds within a second. */
export async function probe(check: () => Promise<unknown>, timeoutMs = 1000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
