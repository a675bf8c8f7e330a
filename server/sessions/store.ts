// What the lifecycle needs of a session store: reads, merging updates, and writes that ended IDs never pass.
import type { Deadlines } from '../../shared/events.js';
import type { ExpiredDeadline } from '../../shared/reasons.js';
import type { SessionRecord } from './data.js';
import type { TombstoneReason, Tombstones } from './tombstones.js';

/** The store could not be reached; callers answer `unavailable`. */
export class StoreUnavailableError extends Error {
  readonly code = 'unavailable';
  constructor(cause: unknown) {
    super('session store unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** An entry as stored; `app` is kept with it but only ever changed by `update`'s `app` merge. */
export type StoredSession = SessionRecord<object>;

/** Fields to merge; `app` merges key by key into the stored app data. */
export type SessionChanges = Partial<Omit<StoredSession, 'app'>> & { app?: Record<string, unknown> };

/**
 * Changes to merge, or a function computing them from the entry as read (null: write nothing).
 * The function form saves the caller a read of its own.
 */
export type SessionPatch = SessionChanges | ((current: StoredSession) => SessionChanges | null);

/** Resolves a patch against the entry as read. */
export const patchFor = (patch: SessionPatch, current: StoredSession): SessionChanges | null => (typeof patch === 'function' ? patch(current) : patch);

/** `changes` over `current`: app data merges key by key; activity only moves forward. */
export function mergeSession(current: StoredSession, changes: SessionChanges): StoredSession {
  const next: StoredSession = { ...current, ...changes, app: changes.app ? { ...current.app, ...changes.app } : current.app };
  if (changes.idleExpiresAt !== undefined) next.idleExpiresAt = Math.max(current.idleExpiresAt, changes.idleExpiresAt);
  if (changes.lastSeenAt !== undefined) next.lastSeenAt = Math.max(current.lastSeenAt, changes.lastSeenAt);
  return next;
}

/** A session the store's deadline index holds as due, with the deadline that passed. */
export interface DueSession {
  sessionId: string;
  deadline: ExpiredDeadline;
}

/**
 * What a claim on an expiry found: this caller won it (`deadline` when the entry still told which
 * passed); the session was still live (activity moved it meanwhile); or it had ended already.
 */
export type ExpiryClaim =
  | { outcome: 'claimed'; deadline?: ExpiredDeadline }
  | { outcome: 'live'; deadlines: Deadlines }
  | { outcome: 'ended'; reason: TombstoneReason; successor?: string };

/**
 * The store behind the lifecycle. The lifecycle is its only writer; writes of an ID that has a
 * tombstone (here or, for a shared store, on any node) do nothing.
 */
export interface SessionStore {
  readonly tombstones: Tombstones;
  /** The live entry, or null (unknown, expired, ended). */
  get(sessionId: string): Promise<StoredSession | null>;
  /** Merges a patch into a live entry; null when there is none (ended, expired, unknown). */
  update(sessionId: string, patch: SessionPatch): Promise<StoredSession | null>;
  /** Writes the entry of a new ID (sign-in or renewal). */
  create(sessionId: string, data: StoredSession): Promise<void>;
  /**
   * Claims the ID's end: records the tombstone unless one exists, then deletes the entry. Returns
   * the tombstone that was already there (someone else ended or renewed it first), if any, with
   * the successor of a renewal; undefined when this call ended it.
   */
  destroy(sessionId: string, reason: TombstoneReason, successor?: string): Promise<{ reason: TombstoneReason; successor?: string } | undefined>;
  /** The user's credential epoch: bumped by a password change, 0 until the first one. */
  epoch(userId: string): Promise<number>;
  bumpEpoch(userId: string): Promise<number>;
  /**
   * Called when the store drops a live entry by itself (TTL, eviction), so its sockets hear of
   * it. A store that cannot tell (Redis) leaves it to the deadline timers.
   */
  onVanished?(listener: (sessionId: string) => void): void;
  /**
   * A store shared by several nodes: claims the end of a session whose deadline passed, so that of
   * every node that notices the same expiry (a socket's deadline timer, a sweep) exactly one wins.
   */
  claimExpiry?(sessionId: string, now: number): Promise<ExpiryClaim>;
  /**
   * A store whose entries expire by themselves with no node told (Redis TTL): the sessions its
   * deadline index holds as due at `now`, at most `limit`. The lifecycle sweeps them.
   */
  dueForExpiry?(now: number, limit: number): Promise<DueSession[]>;
  /**
   * A shared store: called when a read learns that another node ended or renewed an ID before its
   * message arrived, so this node's sockets of it end now (its later message then changes nothing).
   */
  onEndedElsewhere?(listener: (sessionId: string, reason: TombstoneReason, successor?: string) => void): void;
  /** How many entries it holds (for leak checks), where the store can tell cheaply. */
  count?(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
