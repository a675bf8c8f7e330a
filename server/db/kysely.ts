// Kysely's values from its CommonJS build: its ~450 files load about a third faster through require
// than as ES modules, and loading modules is most of the server's start-up. Types come from 'kysely' as usual.
import { createRequire } from 'node:module';

const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely');

export const { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } = kysely;
