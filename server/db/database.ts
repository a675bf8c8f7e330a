// Users' database: Kysely over better-sqlite3 (default, in DATA_DIR) or pg (DATABASE_URL).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Generated } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations.js';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  created_at: Generated<number | string>;
}

export interface Schema {
  users: UsersTable;
}

export type Database = Kysely<Schema>;

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema to use (tests use one per run); created if missing. */
  pgSchema?: string;
}

/**
 * Opens the database and runs migrations.
 * @example const db = await openDatabase({ dataDir: './data' });
 */
export async function openDatabase({ dataDir, databaseUrl, pgSchema }: DatabaseOptions): Promise<Database> {
  let db: Database;
  if (databaseUrl) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 3000 });
    // An idle client that loses its connection emits 'error'; without a listener it would crash.
    pool.on('error', () => {});
    if (pgSchema) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) throw new Error(`bad PostgreSQL schema name ${pgSchema}`);
      pool.on('connect', (client) => void client.query(`SET search_path TO ${pgSchema}`).catch(() => {}));
    }
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    if (pgSchema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(pgSchema)}`.execute(db);
  } else {
    mkdirSync(dataDir, { recursive: true });
    const file = new SQLite(join(dataDir, 'tether.sqlite'));
    file.pragma('journal_mode = WAL');
    file.pragma('busy_timeout = 5000');
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: file }) });
  }
  await migrate(db as unknown as Kysely<unknown>);
  return db;
}

/** Throws if the database cannot answer a trivial query. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
