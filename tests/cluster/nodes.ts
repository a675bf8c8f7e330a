// Starts real tether nodes sharing one Redis and one PostgreSQL, under names no other run uses.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { PasswordHasher } from '../../server/auth/passwords.js';
import type { Env } from '../../server/config.js';
import type { Clock } from '../../server/sessions/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { DATABASE_URL, REDIS_URL, deleteRedisKeys, dropPgSchema, uniqueName } from '../support/services.js';
import { startOwnCluster, type OwnCluster, type OwnClusterOptions } from './redis-cluster.js';

export interface Nodes {
  readonly nodes: DashboardServer[];
  readonly redisPrefix: string;
  readonly pgSchema: string;
  /** Starts one more node with the same configuration (a node that restarted), stopped by `close`. */
  startNode(): Promise<DashboardServer>;
  /** Stops every node, then removes this run's Redis keys and PostgreSQL schema. */
  close(): Promise<void>;
}

export interface NodesOptions {
  count?: number;
  env?: Env;
  redisUrl?: string;
  /** Where the nodes reach PostgreSQL (a cuttable proxy, say); the schema is dropped through DATABASE_URL. */
  databaseUrl?: string;
  /** One clock for every node (a manual clock: deadlines pass without waiting). */
  clock?: Clock;
  /** Password hashing of every node (a gated one, say). */
  hasher?: PasswordHasher;
}

/**
 * Nodes on their own ports with SESSION_STORE=redis, DATABASE_URL and one shared SESSION_SECRET.
 * @example const { nodes: [a, b], close } = await startNodes(); ...; await close();
 */
export async function startNodes({ count = 2, env = {}, redisUrl = REDIS_URL, databaseUrl = DATABASE_URL, clock, hasher }: NodesOptions = {}): Promise<Nodes> {
  const redisPrefix = uniqueName('redis-prefix');
  const pgSchema = uniqueName('pg-schema');
  const shared: Env = {
    SESSION_STORE: 'redis',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    ...env,
  };
  const nodes: DashboardServer[] = [];
  const close = async (): Promise<void> => {
    // Settled, not all: a node a test already stopped throws on a second close, and the keys and
    // the schema must go regardless.
    await Promise.allSettled(nodes.map((node) => node.close()));
    await Promise.allSettled([deleteRedisKeys(redisUrl, redisPrefix), dropPgSchema(DATABASE_URL, pgSchema)]);
  };
  try {
    // One after the other: the first creates the schema and runs the migrations.
    for (let i = 0; i < count; i += 1) nodes.push(await startDashboard({ env: shared, pgSchema, hasher, ...(clock ? { clock } : {}) }));
  } catch (error) {
    await close();
    throw error;
  }
  const startNode = async (): Promise<DashboardServer> => {
    const node = await startDashboard({ env: shared, pgSchema, hasher, ...(clock ? { clock } : {}) });
    nodes.push(node);
    return node;
  };
  return { nodes, redisPrefix, pgSchema, startNode, close };
}

export interface TwoNodes {
  /** Node A: the first started (read it inside tests and hooks, once `beforeAll` has run). */
  readonly a: DashboardServer;
  /** Node B: the second. */
  readonly b: DashboardServer;
  /** Both, their Redis prefix and PostgreSQL schema, and `startNode`. */
  readonly cluster: Nodes;
}

/**
 * Two nodes for the enclosing `describe`: started in its `beforeAll`, closed in its `afterAll`.
 * `options` may be a function, read in `beforeAll` (a Redis the suite starts first).
 * @example const nodes = twoNodes(); it('…', async () => { const browser = nodes.a.browser(); … nodes.b … });
 */
export function twoNodes(options: NodesOptions | (() => NodesOptions) = {}): TwoNodes {
  let cluster: Nodes | undefined;
  const started = (): Nodes => {
    if (!cluster) throw new Error('twoNodes: the nodes start in beforeAll; read them inside tests or hooks');
    return cluster;
  };
  beforeAll(async () => {
    cluster = await startNodes({ ...(typeof options === 'function' ? options() : options), count: 2 });
  }, 60_000);
  afterAll(() => cluster?.close());
  return {
    get a() {
      return started().nodes[0]!;
    },
    get b() {
      return started().nodes[1]!;
    },
    get cluster() {
      return started();
    },
  };
}

/**
 * twoNodes() on a 3-master Redis Cluster of the describe's own: the cluster starts before the
 * nodes and stops after them (vitest runs `afterAll` hooks in reverse order of registration).
 * @example const nodes = twoNodesOnOwnCluster(); it('…', async () => { await nodes.redis.kill(await nodes.redis.masterOf(key)); });
 */
export function twoNodesOnOwnCluster({ replicas, ...options }: Omit<NodesOptions, 'redisUrl'> & OwnClusterOptions = {}): TwoNodes & { readonly redis: OwnCluster } {
  let redis: OwnCluster | undefined;
  const ownCluster = (): OwnCluster => {
    if (!redis) throw new Error('twoNodesOnOwnCluster: the cluster starts in beforeAll; read it inside tests or hooks');
    return redis;
  };
  beforeAll(async () => {
    redis = await startOwnCluster({ replicas });
  }, 60_000);
  afterAll(() => redis?.close());
  const nodes = twoNodes(() => ({ ...options, redisUrl: ownCluster().url }));
  return {
    get a() {
      return nodes.a;
    },
    get b() {
      return nodes.b;
    },
    get cluster() {
      return nodes.cluster;
    },
    get redis() {
      return ownCluster();
    },
  };
}

/** A password long enough for the contract. */
export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A username unique within this run. */
export const username = (base: string): string => `${base}${(counter += 1)}${randomBytes(2).toString('hex')}`.slice(0, 32);

/**
 * Resolves once `check` returns true, asking again every 100 ms; rejects after `timeoutMs`.
 * For conditions a test cannot subscribe to (a node noticing that Redis is back).
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET /healthz of a node. */
export async function health(node: DashboardServer): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${node.url}/healthz`);
  return { status: res.status, body: await res.json() };
}

