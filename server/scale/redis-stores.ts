// Placeholder replaced by the scale-out work: Redis sessions, registry and adapter.
import type { Stores, StoresOptions } from '../stores.js';
import type { Database } from '../db/database.js';

export async function createRedisStores(_options: StoresOptions & { db: Database }): Promise<Stores> {
  throw new Error('SESSION_STORE=redis is not available in this build yet');
}
