// Finds the services a suite needs (Redis, PostgreSQL, redis-server, Chromium): skip with one line when one
// is missing, fail when CI=true or REQUIRE_SERVICES=1. Also unique names per run, and their cleanup.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';

export type ServiceName = 'redis' | 'postgres' | 'redis-server' | 'chromium';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The browser the browser tests drive (Debian's `chromium` package by default). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A missing service fails the suite instead of skipping it. */
export const servicesRequired = (): boolean => process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1';

async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const describeMissing: Record<ServiceName, string> = {
  redis: `Redis at ${REDIS_URL}`,
  postgres: `PostgreSQL at ${DATABASE_URL}`,
  'redis-server': 'the redis-server binary',
  chromium: `Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`,
};

const checks: Record<ServiceName, () => Promise<boolean>> = {
  redis: () => redisAnswers(REDIS_URL),
  postgres: () => postgresAnswers(DATABASE_URL),
  'redis-server': async () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0,
  chromium: async () => spawnSync(CHROMIUM_PATH, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0,
};

/**
 * Why `suite` cannot run here, as one line ("tests/cluster: Redis at … not available"), or null
 * when every named service is there. `servicesAvailable` acts on it; a global setup can compute
 * it once for several files.
 */
export async function missingServicesLine(suite: string, names: readonly ServiceName[]): Promise<string | null> {
  const results = await Promise.all(names.map(async (name) => [name, await checks[name]()] as const));
  const missing = results.filter(([, ok]) => !ok).map(([name]) => describeMissing[name]);
  return missing.length === 0 ? null : `${suite}: ${missing.join(' and ')} not available`;
}

/** Throws with `line` when services are required (CI=true or REQUIRE_SERVICES=1). */
export function failIfRequired(line: string | null): void {
  if (line !== null && servicesRequired()) throw new Error(`${line} (required because CI=true or REQUIRE_SERVICES=1)`);
}

/**
 * True when every named service is there. Otherwise prints one line naming what is missing and
 * returns false, or throws when services are required (CI=true or REQUIRE_SERVICES=1).
 * @example const available = await servicesAvailable('tests/cluster', ['redis', 'postgres']);
 *          describe.skipIf(!available)('two nodes', () => { ... });
 */
export async function servicesAvailable(suite: string, names: readonly ServiceName[]): Promise<boolean> {
  const line = await missingServicesLine(suite, names);
  if (line === null) return true;
  failIfRequired(line);
  console.warn(`skipped ${line}`);
  return false;
}

/** A name no other run uses: `tether-test-<hex>:` style prefixes and `t_<hex>` schemas. */
export function uniqueName(kind: 'redis-prefix' | 'pg-schema'): string {
  const id = `${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
  return kind === 'redis-prefix' ? `tether-test-${id}:` : `t_${id}`;
}

/** Deletes every key under `prefix`. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length) await client.del(keys);
    }
  } finally {
    if (client.isOpen) client.destroy();
  }
}

export async function dropPgSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

// The kit's own redis-server and free-port helpers, re-exported for the suites.
export { freePort, ownRedis, type OwnRedis } from '../../server/testing/index.js';
