// The Redis store's deadline index and expiry claim, as two nodes use them against a real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { systemClock } from '../../server/sessions/clock.js';
import type { SessionStore } from '../../server/sessions/store.js';
import { redisKeys } from '../../server/scale/keys.js';
import { connectRedis, disconnectRedis, type RedisClient } from '../../server/scale/redis-client.js';
import { clientCommands } from '../../server/scale/redis-commands.js';
import { createRedisSessionStore } from '../../server/scale/redis-session-store.js';
import { REDIS_URL, deleteRedisKeys, servicesAvailable, uniqueName } from '../support/services.js';
import { storedSession } from '../support/stored-session.js';

const available = await servicesAvailable('tests/cluster (Redis expiry claim)', ['redis']);
const ABSOLUTE_MS = 60_000;

describe.skipIf(!available)('the Redis store when a deadline passes', () => {
  const prefix = uniqueName('redis-prefix');
  const keys = redisKeys(prefix);
  let client: RedisClient;
  let nodeA: SessionStore;
  let nodeB: SessionStore;
  beforeAll(async () => {
    client = await connectRedis({ url: REDIS_URL, log: createLogger('silent'), role: 'test', failFast: true });
    const store = () => createRedisSessionStore({ client: clientCommands(client), native: client, keys, clock: systemClock, absoluteTimeoutMs: ABSOLUTE_MS });
    [nodeA, nodeB] = [store(), store()];
  });
  afterAll(async () => {
    await deleteRedisKeys(REDIS_URL, prefix);
    if (client) await disconnectRedis(client);
  });

  it('the index holds a session from its earlier deadline on, and forgets it when it ends', async () => {
    const now = Date.now();
    await nodeA.create('d1', storedSession(now));
    expect(await nodeB.dueForExpiry!(now + 29_999, 10)).toEqual([]);
    expect(await nodeB.dueForExpiry!(now + 30_000, 10)).toEqual([{ sessionId: 'd1', deadline: 'idle' }]);
    // Activity moves it on; past the absolute deadline's reach, the absolute one comes first.
    await nodeB.update('d1', { idleExpiresAt: now + 90_000 });
    expect(await nodeA.dueForExpiry!(now + 30_000, 10)).toEqual([]);
    expect(await nodeA.dueForExpiry!(now + ABSOLUTE_MS, 10)).toEqual([{ sessionId: 'd1', deadline: 'absolute' }]);
    await nodeA.destroy('d1', 'logout');
    expect(await nodeB.dueForExpiry!(now + ABSOLUTE_MS * 2, 10)).toEqual([]);
  });

  it('of two nodes claiming the same expiry at once, exactly one wins; the other learns it ended', async () => {
    const now = Date.now();
    await nodeA.create('d2', storedSession(now));
    const claims = await Promise.all([nodeA.claimExpiry!('d2', now + 31_000), nodeB.claimExpiry!('d2', now + 31_000)]);
    expect(claims.map((c) => c.outcome).sort()).toEqual(['claimed', 'ended']);
    expect(claims).toContainEqual({ outcome: 'claimed', deadline: 'idle' });
    expect(claims).toContainEqual({ outcome: 'ended', reason: 'expired' });
    expect(await client.get(keys.tombstone('d2'))).toBe('expired');
    expect(await client.get(keys.session('d2'))).toBeNull();
    expect(await nodeA.dueForExpiry!(now + ABSOLUTE_MS * 2, 10)).toEqual([]);
  });

  it('an entry Redis already dropped by its TTL is claimed too; a session still live is not', async () => {
    const now = Date.now();
    await nodeA.create('d3', storedSession(now));
    await client.del(keys.session('d3'));
    expect(await nodeB.claimExpiry!('d3', now + 31_000)).toEqual({ outcome: 'claimed' });
    await nodeA.create('d4', storedSession(now));
    expect(await nodeB.claimExpiry!('d4', now + 10_000)).toEqual({ outcome: 'live', deadlines: { idleExpiresAt: now + 30_000, absoluteExpiresAt: now + ABSOLUTE_MS } });
    expect(await client.get(keys.tombstone('d4'))).toBeNull();
  });

  it('a read that finds another node\'s tombstone tells its listeners once', async () => {
    const heard: string[] = [];
    nodeB.onEndedElsewhere!((sid, reason) => heard.push(`${sid}:${reason}`));
    await nodeA.create('d5', storedSession(Date.now()));
    await nodeA.destroy('d5', 'revoked');
    expect(await nodeB.get('d5')).toBeNull();
    expect(await nodeB.get('d5')).toBeNull();
    expect(heard).toEqual(['d5:revoked']);
  });
});
