// Per-user and per-address limits counted across two nodes (in Redis), and sign-in failing closed while Redis is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandshakeRefused, TestBrowser } from '../../server/testing/index.js';
import type { DashboardServer } from '../support/dashboard.js';
import { ownRedis, servicesAvailable, type OwnRedis } from '../support/services.js';
import { PASSWORD, startNodes, twoNodes, username, waitFor, health, type Nodes } from './nodes.js';

const available = await servicesAvailable('tests/cluster (limits)', ['redis', 'postgres']);
const outageAvailable = await servicesAvailable('tests/cluster (limits, Redis outage)', ['redis-server', 'postgres']);

const code = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;

/** A browser with its CSRF token, on `node`. */
async function visitor(node: DashboardServer): Promise<TestBrowser> {
  const browser = node.browser();
  await browser.session();
  return browser;
}

describe.skipIf(!available)('when wrong passwords for one user are spread over node A and node B', () => {
  const nodes = twoNodes();

  it('three failures on A and two on B, then the right password on B: 429 with Retry-After', async () => {
    const name = username('victim');
    expect((await nodes.a.browser().register(name, PASSWORD)).status).toBe(201);
    const attacker = await visitor(nodes.a);
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await attacker.login(name, `wrong on a ${i}`)).status);
    const onB = attacker.on(nodes.b);
    for (let i = 0; i < 2; i++) answers.push((await onB.login(name, `wrong on b ${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    const right = await onB.login(name, PASSWORD);
    expect({ status: right.status, code: code(right.body) }).toEqual({ status: 429, code: 'rate_limited' });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await attacker.on(nodes.a).login(name, PASSWORD)).status).toBe(429);
  });

  it('ten right-password sign-ins at once, five on each node, all succeed', async () => {
    const name = username('busy');
    expect((await nodes.a.browser().register(name, PASSWORD)).status).toBe(201);
    const browsers = await Promise.all(Array.from({ length: 10 }, (_, i) => visitor(i % 2 ? nodes.b : nodes.a)));
    const answers = await Promise.all(browsers.map((browser) => browser.login(name, PASSWORD)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it('counts under REDIS_PREFIX (keys of this run only)', async () => {
    const { createClient } = await import('redis');
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    try {
      const keys = await client.keys(`${nodes.cluster.redisPrefix}rl:login-failures:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
  });
});

describe.skipIf(!available)('when one address spreads its attempts over both nodes (LOGIN_FAILURES_PER_IP=6, REGISTRATIONS_PER_IP=3, HANDSHAKE_BURST_PER_IP=10)', () => {
  const nodes = twoNodes({ env: { LOGIN_FAILURES_PER_IP: '6', REGISTRATIONS_PER_IP: '3', HANDSHAKE_BURST_PER_IP: '10', HANDSHAKES_PER_IP_PER_SECOND: '1' } });

  it('failed sign-ins of many usernames: three on A and three on B reach the per-address limit on both', async () => {
    const onA = await visitor(nodes.a);
    const onB = onA.on(nodes.b);
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await onA.login(username('stuffed'), `leaked ${i}`)).status);
    for (let i = 0; i < 3; i++) answers.push((await onB.login(username('stuffed'), `leaked ${i}`)).status);
    expect(answers).toEqual(Array(6).fill(401));
    expect((await onB.login(username('stuffed'), 'leaked 7')).status).toBe(429);
    expect((await onA.login(username('stuffed'), 'leaked 8')).status).toBe(429);
  });

  it('registrations: two on A and one on B use the three of the address; the fourth, on either node, is 429', async () => {
    const answers = [];
    for (const node of [nodes.a, nodes.a, nodes.b]) answers.push((await node.browser().register(username('reg'), PASSWORD)).status);
    expect(answers).toEqual([201, 201, 201]);
    const fourth = await nodes.b.browser().register(username('reg'), PASSWORD);
    expect({ status: fourth.status, code: code(fourth.body) }).toEqual({ status: 429, code: 'rate_limited' });
    expect((await nodes.a.browser().register(username('reg'), PASSWORD)).status).toBe(429);
  });

  it('handshakes: six on A and six on B, all within the window; the last two past the ten of the address are rate_limited', async () => {
    /** Cookieless handshakes: each one admitted by the limits is refused as unauthenticated. */
    const handshakes = async (node: DashboardServer, n: number): Promise<string[]> => {
      const codes: string[] = [];
      for (let i = 0; i < n; i++) {
        try {
          (await new TestBrowser(node.url).openTab({ csrfToken: 'x', timeoutMs: 5000 })).close();
          codes.push('connected');
        } catch (error) {
          codes.push(error instanceof HandshakeRefused ? error.code : String(error));
        }
      }
      return codes;
    };
    expect(await handshakes(nodes.a, 6)).toEqual(Array(6).fill('unauthenticated'));
    expect(await handshakes(nodes.b, 6)).toEqual([...Array(4).fill('unauthenticated'), 'rate_limited', 'rate_limited']);
  });
});

describe.skipIf(!outageAvailable)('when Redis is down during a sign-in', () => {
  let redis: OwnRedis;
  let cluster: Nodes | undefined;
  let a: DashboardServer;
  beforeAll(async () => {
    redis = await ownRedis();
    await redis.start();
    cluster = await startNodes({ count: 1, redisUrl: redis.url });
    [a] = cluster.nodes as [DashboardServer];
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('sign-in fails closed with 503 unavailable (not 200, not 500); after Redis returns the limit counts again', async () => {
    const name = username('outage');
    expect((await a.browser().register(name, PASSWORD)).status).toBe(201);
    const visitorBefore = await visitor(a);
    await redis.stop();
    for (const password of [PASSWORD, 'a wrong password']) {
      const res = await visitorBefore.login(name, password);
      expect({ status: res.status, code: code(res.body) }).toEqual({ status: 503, code: 'unavailable' });
    }
    // The limit's own store, asked directly while Redis is gone, refuses to count instead of letting through.
    await expect(a.tether.stores.limits.create('probe').increment('k')).rejects.toMatchObject({ code: 'unavailable' });

    await redis.start();
    await waitFor('healthy again', async () => (await health(a)).status === 200, 10_000);
    // The restarted Redis is empty (scripts and counts gone): the limits load their scripts again and count.
    const attacker = await visitor(a);
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await attacker.login(name, `wrong after ${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await attacker.login(name, PASSWORD)).status).toBe(429);
    expect((await (await visitor(a)).register(username('after'), PASSWORD)).status).toBe(201);
  });
});
