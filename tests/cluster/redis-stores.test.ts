// The Redis session store and registry against a real Redis, as two nodes would use them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/sessions/clock.js';
import { createLogger } from '../../server/log.js';
import type { SessionStore, StoredSession } from '../../server/sessions/store.js';
import { redisKeys } from '../../server/scale/keys.js';
import { connectRedis, disconnectRedis, type RedisClient } from '../../server/scale/redis-client.js';
import { clientCommands } from '../../server/scale/redis-commands.js';
import { createRedisRegistry } from '../../server/scale/redis-registry.js';
import { createRedisSessionStore } from '../../server/scale/redis-session-store.js';
import { REDIS_URL, deleteRedisKeys, servicesAvailable, uniqueName } from '../support/services.js';
import { storedSession } from '../support/stored-session.js';

const available = await servicesAvailable('tests/cluster (Redis stores)', ['redis']);
const ABSOLUTE_MS = 60_000;

/** The entry as of now (these tests run on the system clock). */
const sessionData = (overrides: Partial<StoredSession> = {}): StoredSession => storedSession(Date.now(), overrides);

describe.skipIf(!available)('the Redis stores', () => {
  const prefix = uniqueName('redis-prefix');
  const keys = redisKeys(prefix);
  let client: RedisClient;
  /** Two nodes: each has its own local tombstones, they share Redis. */
  let nodeA: SessionStore;
  let nodeB: SessionStore;
  beforeAll(async () => {
    client = await connectRedis({ url: REDIS_URL, log: createLogger('silent'), role: 'test', failFast: true });
    nodeA = createRedisSessionStore({ client: clientCommands(client), native: client, keys, clock: systemClock, absoluteTimeoutMs: ABSOLUTE_MS });
    nodeB = createRedisSessionStore({ client: clientCommands(client), native: client, keys, clock: systemClock, absoluteTimeoutMs: ABSOLUTE_MS });
  });
  afterAll(async () => {
    await deleteRedisKeys(REDIS_URL, prefix);
    if (client) await disconnectRedis(client);
  });

  describe('when node A ends a session and node B saves or touches it afterwards', () => {
    it('the late create and the update are both dropped, and the tombstone says why', async () => {
      await nodeB.create('s1', sessionData());
      await nodeA.destroy('s1', 'revoked');
      await nodeB.create('s1', sessionData());
      expect(await nodeB.update('s1', { lastSeenAt: Date.now() })).toBeNull();
      expect(await client.exists(keys.session('s1'))).toBe(0);
      expect(await client.get(keys.tombstone('s1'))).toBe('revoked');
      expect(await client.pTTL(keys.tombstone('s1'))).toBeGreaterThan(ABSOLUTE_MS);
    });

    it('a later destroy on another node does not overwrite the first reason, and learns it', async () => {
      await nodeA.create('s2', sessionData());
      await nodeA.destroy('s2', 'logout');
      expect(await nodeB.destroy('s2', 'revoked')).toEqual({ reason: 'logout' });
      expect(await client.get(keys.tombstone('s2'))).toBe('logout');
    });

    it('of a renewal and an end racing on two nodes, exactly one claims the ID', async () => {
      await nodeA.create('s2r', sessionData());
      const [renewed, ended] = await Promise.all([nodeA.destroy('s2r', 'renewed', 'next-id'), nodeB.destroy('s2r', 'logout')]);
      // Whichever claimed first made the other one learn of it.
      expect([renewed, ended].filter((outcome) => outcome === undefined)).toHaveLength(1);
      const stored = await client.get(keys.tombstone('s2r'));
      expect(stored === 'renewed:next-id' ? ended : renewed).toEqual(stored === 'renewed:next-id' ? { reason: 'renewed', successor: 'next-id' } : { reason: 'logout' });
    });
  });

  describe('when another node ended a session this node never saw', () => {
    it('reading it returns null and teaches this node why, from the tombstone', async () => {
      await nodeA.create('s5', sessionData());
      await nodeA.destroy('s5', 'renewed');
      expect(nodeB.tombstones.get('s5')).toBeUndefined();
      expect(await nodeB.get('s5')).toBeNull();
      expect(nodeB.tombstones.get('s5')).toBe('renewed');
    });
  });

  describe('when an entry expired or never existed', () => {
    it('an update returns null and does not create it', async () => {
      expect(await nodeA.update('never', { lastSeenAt: 1 })).toBeNull();
      expect(await client.exists(keys.session('never'))).toBe(0);
    });
  });

  describe('when two nodes update the same session at once', () => {
    it('neither write is lost and the idle deadline only moves forward', async () => {
      const start = sessionData();
      await nodeA.create('s3', start);
      const later = start.idleExpiresAt + 5000;
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => nodeA.update('s3', { idleExpiresAt: later - i * 100, lastSeenAt: Date.now() })),
        nodeB.update('s3', { username: 'written-by-b' }),
      ]);
      const stored = await nodeB.get('s3');
      expect(stored).toMatchObject({ username: 'written-by-b', idleExpiresAt: later });
    });
  });

  describe('the entry lifetime', () => {
    it('is the earlier deadline, rounded up to whole seconds', async () => {
      const now = Date.now();
      await nodeA.create('s4', sessionData({ idleExpiresAt: now + 1500, absoluteExpiresAt: now + 9000 }));
      const ttl = await client.pTTL(keys.session('s4'));
      expect(ttl).toBeGreaterThan(1000);
      expect(ttl).toBeLessThanOrEqual(2000);
      await nodeA.update('s4', { idleExpiresAt: now + 20_000 });
      // The absolute deadline caps it.
      expect(await client.pTTL(keys.session('s4'))).toBeLessThanOrEqual(9000);
    });
  });

  describe('the session registry', () => {
    const registry = () => createRedisRegistry({ client: clientCommands(client), keys, clock: systemClock, absoluteTimeoutMs: 2000 });
    const entry = (handle: string, sessionId: string) => ({ handle, sessionId, userId: 'u-reg', createdAt: Date.now(), userAgent: 'ua', ip: '::1' });

    it('finds entries by user, handle and session, follows a renewal, and removes all traces', async () => {
      const r = registry();
      await r.add(entry('h1', 'sid-1'));
      await r.add(entry('h2', 'sid-2'));
      expect((await r.list('u-reg')).map((e) => e.handle).sort()).toEqual(['h1', 'h2']);
      await r.rename('h1', 'sid-1b');
      expect(await r.bySession('sid-1')).toBeNull();
      expect(await r.bySession('sid-1b')).toMatchObject({ handle: 'h1', userId: 'u-reg' });
      await r.remove('h1');
      await r.remove('h2');
      expect(await r.list('u-reg')).toEqual([]);
      expect(await client.exists([keys.handle('h1'), keys.bySession('sid-1b'), keys.user('u-reg')])).toBe(0);
    });

    it('entries expire at the absolute deadline, and listing prunes the handles they leave behind', async () => {
      const r = registry();
      await r.add(entry('h3', 'sid-3'));
      const ttl = await client.pTTL(keys.handle('h3'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3000);
      expect(await client.pTTL(keys.bySession('sid-3'))).toBeGreaterThan(0);
      expect(await client.pTTL(keys.user('u-reg'))).toBeGreaterThan(0);
      // As if it had expired.
      await client.del(keys.handle('h3'));
      expect(await r.list('u-reg')).toEqual([]);
      expect(await client.sMembers(keys.user('u-reg'))).toEqual([]);
    });
  });
});
