// The users repository: create and look up, case-insensitive usernames, one query layer for both databases.
import { randomUUID } from 'node:crypto';
import type { User } from '../../shared/api.js';
import type { Clock } from '../sessions/index.js';
import type { Database } from '../db/database.js';

export class UsernameTakenError extends Error {
  readonly code = 'username_taken';
}

export interface StoredUser extends User {
  passwordHash: string;
}

export interface UsersRepo {
  create(username: string, passwordHash: string): Promise<User>;
  findByUsername(username: string): Promise<StoredUser | null>;
  findById(id: string): Promise<StoredUser | null>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || (typeof e.message === 'string' && e.message.includes('UNIQUE constraint'));
};

/**
 * @example const users = createUsersRepo(db, systemClock); await users.create('alice', hash);
 */
export function createUsersRepo(db: Database, clock: Clock): UsersRepo {
  const toUser = (row: { id: string; username: string; password_hash: string }): StoredUser => ({
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
  });
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
      const row = await db.selectFrom('users').select(['id', 'username', 'password_hash']).where('username_key', '=', username.toLowerCase()).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async findById(id) {
      const row = await db.selectFrom('users').select(['id', 'username', 'password_hash']).where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async setPasswordHash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
  };
}
