// The dashboard's accounts for the operators' command: users (and their lock) and the activity history, in its database.
import { createActivityRepo } from './activity/repo.js';
import { createUsersRepo } from './auth/users.js';
import { parseConfig, type Env } from './config.js';
import { openDatabase } from './db/database.js';
import type { AdminAccounts } from './admin/run.js';
import { systemClock } from './sessions/index.js';

/**
 * The same database as the nodes (DATABASE_URL, else SQLite in DATA_DIR); DATABASE_SCHEMA names
 * the PostgreSQL schema when it is not `public`. The operator's acts go into the user's history.
 * @example const accounts = await openAccounts(process.env); await accounts.setLocked(id, true);
 */
export async function openAccounts(env: Env): Promise<AdminAccounts> {
  const config = parseConfig(env);
  const schema = env.DATABASE_SCHEMA;
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, ...(schema ? { pgSchema: schema } : {}) });
  const users = createUsersRepo(db, systemClock);
  const activity = createActivityRepo({ db, clock: systemClock, retentionMs: config.activityRetentionDays * 86_400_000 });
  return {
    async find(username) {
      const user = await users.findByUsername(username);
      return user ? { id: user.id, username: user.username, locked: user.lockedAt !== null } : null;
    },
    async setLocked(userId, locked) {
      await users.setLocked(userId, locked ? Date.now() : null);
    },
    record: ({ userId, kind, detail }) => activity.add({ userId, kind, ip: '', userAgent: 'tether-session-admin', detail }),
    close: () => db.destroy(),
  };
}
