// The activity history in the database: append, count a burst of failed sign-ins, page newest first, prune.
import { randomBytes } from 'node:crypto';
import { ACTIVITY_KINDS, type ActivityDetail, type ActivityItem, type ActivityKind, type ActivityPage } from '../../shared/account.js';
import type { Database } from '../db/database.js';
import type { Clock } from '../sessions/index.js';

/** What one entry says; `at` defaults to now. */
export interface ActivityEntry {
  userId: string;
  kind: ActivityKind;
  ip: string;
  userAgent: string;
  detail?: ActivityDetail;
  at?: number;
}

export interface ActivityRepo {
  add(entry: ActivityEntry): Promise<void>;
  /** A failed sign-in: counted into the user's open burst (one within `burstMs`), else a new row. */
  addFailure(entry: Omit<ActivityEntry, 'kind' | 'detail'>): Promise<void>;
  page(userId: string, opts?: { before?: string | undefined; limit?: number }): Promise<ActivityPage>;
  /** Deletes entries older than the retention; resolves how many went. */
  prune(): Promise<number>;
}

export interface ActivityRepoOptions {
  db: Database;
  clock: Clock;
  retentionMs: number;
  /** Failures closer together than this are one burst (the sign-in limit's window). */
  burstMs?: number;
}

const KINDS: ReadonlySet<string> = new Set(ACTIVITY_KINDS);

let sequence = 0;
/**
 * Sortable IDs: the time, then a per-process sequence, then randomness (unique across nodes). Entries
 * of one millisecond (a fake clock, a fast script) keep the order they were written in.
 */
const entryId = (at: number): string => `${at.toString(36).padStart(9, '0')}${(sequence++ % 36 ** 6).toString(36).padStart(6, '0')}${randomBytes(6).toString('hex')}`;

/** The cursor is the last item's (at, id): stable while rows are added above it. */
const encodeCursor = (at: number, id: string): string => Buffer.from(`${at}:${id}`).toString('base64url');
function decodeCursor(cursor: string): { at: number; id: string } | null {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const n = Number(at);
  return rest.length === 0 && id && Number.isSafeInteger(n) ? { at: n, id } : null;
}

function parseDetail(raw: string): ActivityDetail {
  try {
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
  } catch {
    return {};
  }
}

/** Thrown for a cursor this history never gave out (the route answers 400 invalid_input). */
export class BadCursorError extends Error {
  readonly code = 'invalid_input';
}

/**
 * @example const activity = createActivityRepo({ db, clock, retentionMs: 90 * 86_400_000 });
 *          await activity.add({ userId, kind: 'signed_in', ip: req.ip, userAgent });
 */
export function createActivityRepo({ db, clock, retentionMs, burstMs = 15 * 60_000 }: ActivityRepoOptions): ActivityRepo {
  const insert = async (entry: ActivityEntry, detail: ActivityDetail): Promise<void> => {
    const at = entry.at ?? clock.now();
    await db
      .insertInto('activity')
      .values({ id: entryId(at), user_id: entry.userId, kind: entry.kind, at, ip: entry.ip.slice(0, 64), user_agent: entry.userAgent.slice(0, 512), detail: JSON.stringify(detail).slice(0, 1024) })
      .execute();
  };
  return {
    add: (entry) => insert(entry, entry.detail ?? {}),
    async addFailure(entry) {
      const now = entry.at ?? clock.now();
      const open = await db
        .selectFrom('activity')
        .select('id')
        .where('user_id', '=', entry.userId)
        .where('kind', '=', 'sign_in_failed')
        .where('at', '>', now - burstMs)
        .orderBy('at', 'desc')
        .executeTakeFirst();
      if (!open) return insert({ ...entry, kind: 'sign_in_failed', at: now }, {});
      // One statement, so concurrent guesses each count (a read-then-write would lose some).
      await db
        .updateTable('activity')
        .set((eb) => ({ count: eb('count', '+', 1), at: now, ip: entry.ip.slice(0, 64), user_agent: entry.userAgent.slice(0, 512) }))
        .where('id', '=', open.id)
        .execute();
    },
    async page(userId, { before, limit = 20 } = {}) {
      const cursor = before === undefined ? null : decodeCursor(before);
      if (before !== undefined && !cursor) throw new BadCursorError('before is not a cursor this server gave out');
      let query = db.selectFrom('activity').selectAll().where('user_id', '=', userId);
      if (cursor) query = query.where((eb) => eb.or([eb('at', '<', cursor.at), eb.and([eb('at', '=', cursor.at), eb('id', '<', cursor.id)])]));
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(
        (row): ActivityItem => ({
          id: row.id,
          kind: (KINDS.has(row.kind) ? row.kind : 'signed_in') as ActivityKind,
          at: Number(row.at),
          ip: row.ip,
          userAgent: row.user_agent,
          detail: row.kind === 'sign_in_failed' ? { ...parseDetail(row.detail), count: Number(row.count) } : parseDetail(row.detail),
        }),
      );
      const last = items.at(-1);
      return { items, next: rows.length > limit && last ? encodeCursor(last.at, last.id) : null };
    },
    async prune() {
      const result = await db.deleteFrom('activity').where('at', '<', clock.now() - retentionMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
