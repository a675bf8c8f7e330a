// The users repository: create and look up, case-insensitive usernames, one query layer for both databases.
import { randomUUID } from 'node:crypto';
import type { User } from '../../shared/api.js';
import type { Clock } from '../sessions/index.js';
import { UsernameTakenError } from '../express/index.js';
import type { Database } from '../db/database.js';

export interface StoredUser extends User {
  passwordHash: string;
  /** When an operator locked the account (sign-in refused), or null. */
  lockedAt: number | null;
}

export interface UsersRepo {
  create(username: string, passwordHash: string): Promise<User>;
  findByUsername(username: string): Promise<StoredUser | null>;
  findById(id: string): Promise<StoredUser | null>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Locks (a time) or unlocks (null) the account; resolves false for an unknown id. */
  setLocked(id: string, lockedAt: number | null): Promise<boolean>;
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || (typeof e.message === 'string' && e.message.includes('UNIQUE constraint'));
};

/**
 * @example const users = createUsersRepo(db, systemClock); await users.create('alice', hash);
 */
export function createUsersRepo(db: Database, clock: Clock): UsersRepo {
  const toUser = (row: { id: string; username: string; password_hash: string; locked_at: number | null }): StoredUser => ({
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    lockedAt: row.locked_at === null ? null : Number(row.locked_at),
  });
  const columns = ['id', 'username', 'password_hash', 'locked_at'] as const;
  return {
    async create(username, passwordHash) {
      const id = randomUUID();
      try {
        await db
          .insertInto('users')
          .values({ id, username, username_key: username.toLowerCase(), password_hash: passwordHash, created_at: clock.now() })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new UsernameTakenError('username taken');
        throw error;
      }
      return { id, username };
    },
    async findByUsername(username) {
      const row = await db.selectFrom('users').select(columns).where('username_key', '=', username.toLowerCase()).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async findById(id) {
      const row = await db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async setPasswordHash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async setLocked(id, lockedAt) {
      const result = await db.updateTable('users').set({ locked_at: lockedAt }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
