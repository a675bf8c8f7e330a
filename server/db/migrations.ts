// Schema migrations, run at start; portable SQL only (SQLite and PostgreSQL).
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '001_users': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('username', 'varchar(32)', (c) => c.notNull())
        // Lower-cased username: uniqueness and lookups are case-insensitive on every database.
        .addColumn('username_key', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  // The activity history (issue 15): per user, newest first by (at, id); no session ID, token or cookie.
  '002_activity': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('activity')
        .ifNotExists()
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_agent', 'varchar(512)', (c) => c.notNull())
        .addColumn('detail', 'varchar(1024)', (c) => c.notNull())
        // Failed sign-ins of one burst are one row, counted here.
        .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('activity_user_at').ifNotExists().on('activity').columns(['user_id', 'at', 'id']).execute();
      await db.schema.createIndex('activity_at').ifNotExists().on('activity').column('at').execute();
    },
  },
  // An operator's lock (epoch ms, null when not locked): sign-in answers 403 account_locked.
  '003_users_locked': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('locked_at', 'bigint').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Runs every pending migration; throws with the first failure. On PostgreSQL pass the `schema`
 * the tables live in (`public` by default): unless told which, Kysely takes a `kysely_migration`
 * table in ANY schema of the database as its own, so another deployment's or test run's schema
 * would make it skip creating its tables and then fail on them.
 */
export async function migrate(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
