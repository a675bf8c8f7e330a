// The Redis store's calls in a burst: at most maxCallsInFlight sent at once, every one answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.js';
import { systemClock } from '../../server/sessions/clock.js';
import { redisKeys } from '../../server/scale/keys.js';
import { connectRedis, disconnectRedis, type RedisClient } from '../../server/scale/redis-client.js';
import { clientCommands, type RedisCommands } from '../../server/scale/redis-commands.js';
import { createRedisSessionStore } from '../../server/scale/redis-session-store.js';
import { REDIS_URL, deleteRedisKeys, servicesAvailable, uniqueName } from '../support/services.js';

const available = await servicesAvailable('tests/cluster (Redis call gate)', ['redis']);

describe.skipIf(!available)('a burst of 500 session reads on one node (a reconnect storm)', () => {
  const prefix = uniqueName('redis-prefix');
  const keys = redisKeys(prefix);
  let client: RedisClient;
  beforeAll(async () => {
    client = await connectRedis({ url: REDIS_URL, log: createLogger('silent'), role: 'test', failFast: true });
  });
  afterAll(async () => {
    await deleteRedisKeys(REDIS_URL, prefix);
    if (client) await disconnectRedis(client);
  });

  it('sends at most 8 of them to Redis at once when maxCallsInFlight is 8, and answers all 500', async () => {
    const real = clientCommands(client);
    let inFlight = 0;
    let most = 0;
    // The real commands, counted: how many this store has sent that Redis has not answered yet.
    const counted: RedisCommands = {
      ...real,
      mGet: async (names) => {
        most = Math.max(most, (inFlight += 1));
        try {
          return await real.mGet(names);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const store = createRedisSessionStore({ client: counted, native: client, keys, clock: systemClock, absoluteTimeoutMs: 60_000, maxCallsInFlight: 8 });
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => store.get(`missing-${i}`)));
    expect(answers).toEqual(Array.from({ length: 500 }, () => null));
    expect(most).toBe(8);
  });
});
