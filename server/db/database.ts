// Users' database: Kysely over better-sqlite3 (default, in DATA_DIR) or pg (DATABASE_URL).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type ColumnType } from 'kysely';
import type pg from 'pg';
import { migrate } from './migrations.js';

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  /** Epoch ms (bigint; read back as a number on both databases). */
  created_at: number;
  /** When an operator locked the account; null when it is not locked. */
  locked_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ActivityTable {
  id: string;
  user_id: string;
  kind: string;
  at: number;
  ip: string;
  user_agent: string;
  /** JSON object of strings and numbers (shared/account.ts ActivityDetail). */
  detail: string;
  count: ColumnType<number, number | undefined, number>;
}

export interface Schema {
  users: UsersTable;
  activity: ActivityTable;
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
    if (pgSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(pgSchema)) throw new Error(`bad PostgreSQL schema name ${pgSchema}`);
    // Loaded only when configured: a SQLite start does not pay for pg (nor PostgreSQL for SQLite).
    const { default: pgModule } = await import('pg');
    const pool = new pgModule.Pool({
      connectionString: databaseUrl,
      max: 10,
      connectionTimeoutMillis: 3000,
      // A query must not hang a request while PostgreSQL is unreachable mid-connection.
      query_timeout: 5000,
      types: int8AsNumber(pgModule),
      // The schema is part of each connection's start-up, so no query can run before it is set
      // (a `SET search_path` sent on 'connect' races the first query of a pooled client).
      ...(pgSchema ? { options: `-c search_path=${pgSchema}` } : {}),
    });
    // A client that loses its connection emits 'error'; without a listener the process would
    // crash. The pool listens only while a client is idle, so a client checked out at that moment
    // (a query in flight when PostgreSQL goes away) needs one of its own. The query itself fails
    // and the route answers 503.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    if (pgSchema) await createSchema(db, pgSchema);
  } else {
    mkdirSync(dataDir, { recursive: true });
    const { default: SQLite } = await import('better-sqlite3');
    const path = join(dataDir, 'tether.sqlite');
    ownerOnly(path);
    const file = new SQLite(path);
    file.pragma('journal_mode = WAL');
    file.pragma('busy_timeout = 5000');
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: file }) });
  }
  // PostgreSQL: name the schema even when it is the default one (see `migrate`).
  await migrate(db as unknown as Kysely<unknown>, databaseUrl ? (pgSchema ?? 'public') : undefined);
  return db;
}

/**
 * The file holds the password hashes: readable by the owner only (0600), like the session secret.
 * Created empty with that mode before SQLite opens it, because SQLite gives the -wal and -shm
 * files it creates the database file's mode; files of an older start are narrowed too.
 */
function ownerOnly(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

/**
 * pg returns bigint (int8) as a string, since it may exceed 2^53; our only bigints are epoch
 * milliseconds, far below that. Set per pool, not on pg's global type table.
 */
const int8AsNumber = (pgModule: typeof pg): pg.CustomTypesConfig => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pgModule.types.builtins.INT8 && format !== 'binary' ? (value: string) => Number(value) : pgModule.types.getTypeParser(oid, format)) as typeof pgModule.types.getTypeParser,
});

/** Nodes starting together may race to create the schema: the loser's duplicate error is fine. */
async function createSchema(db: Database, schema: string): Promise<void> {
  try {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

/** Throws if the database cannot answer a trivial query. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
