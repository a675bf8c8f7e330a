// Which sessions each user has, by opaque public handle: the index behind /api/sessions.
import { randomBytes } from 'node:crypto';

export interface RegistryEntry {
  handle: string;
  sessionId: string;
  userId: string;
  createdAt: number;
  userAgent: string;
  ip: string;
}

/**
 * The user → sessions index. The in-memory one serves one node; a Redis one serves a cluster.
 * Entries are pruned by the caller when the store no longer has the session, so a session that
 * expired silently cannot linger here.
 */
export interface SessionRegistry {
  add(entry: RegistryEntry): Promise<void>;
  list(userId: string): Promise<RegistryEntry[]>;
  byHandle(handle: string): Promise<RegistryEntry | null>;
  bySession(sessionId: string): Promise<RegistryEntry | null>;
  /** The session continues under a new ID (password change). */
  rename(handle: string, sessionId: string): Promise<void>;
  remove(handle: string): Promise<void>;
  close(): Promise<void>;
}

/** A new public handle: random, unrelated to the session ID. */
export function newHandle(): string {
  return randomBytes(12).toString('base64url');
}

export interface MemoryRegistryOptions {
  /** With both, entries older than the absolute timeout are dropped: no session outlives it. */
  now?: () => number;
  absoluteTimeoutMs?: number;
}

/**
 * A session that ends silently (its store entry expires with no socket open and no request
 * coming) is otherwise only pruned when its user next lists their sessions; a user who never
 * comes back would leave it forever. So every add also drops the entries past the absolute timeout.
 * @example const registry = createMemoryRegistry({ now: clock.now, absoluteTimeoutMs }); await registry.add(entry);
 */
export function createMemoryRegistry({ now, absoluteTimeoutMs }: MemoryRegistryOptions = {}): SessionRegistry & { readonly size: number } {
  const byHandle = new Map<string, RegistryEntry>();
  const bySession = new Map<string, string>();
  const byUser = new Map<string, Set<string>>();
  const remove = (handle: string): void => {
    const entry = byHandle.get(handle);
    if (!entry) return;
    byHandle.delete(handle);
    bySession.delete(entry.sessionId);
    const handles = byUser.get(entry.userId);
    handles?.delete(handle);
    if (handles?.size === 0) byUser.delete(entry.userId);
  };
  const pruneOld = (): void => {
    if (!now || absoluteTimeoutMs === undefined) return;
    const cutoff = now() - absoluteTimeoutMs;
    // Entries are added in sign-in order (a renewal keeps its place and its createdAt), so the
    // first live one ends the scan.
    for (const [handle, entry] of byHandle) {
      if (entry.createdAt > cutoff) break;
      remove(handle);
    }
  };
  return {
    async add(entry) {
      pruneOld();
      remove(entry.handle);
      byHandle.set(entry.handle, { ...entry });
      bySession.set(entry.sessionId, entry.handle);
      const handles = byUser.get(entry.userId) ?? new Set<string>();
      handles.add(entry.handle);
      byUser.set(entry.userId, handles);
    },
    async list(userId) {
      return [...(byUser.get(userId) ?? [])].flatMap((h) => {
        const entry = byHandle.get(h);
        return entry ? [{ ...entry }] : [];
      });
    },
    async byHandle(handle) {
      const entry = byHandle.get(handle);
      return entry ? { ...entry } : null;
    },
    async bySession(sessionId) {
      const handle = bySession.get(sessionId);
      const entry = handle ? byHandle.get(handle) : undefined;
      return entry ? { ...entry } : null;
    },
    async rename(handle, sessionId) {
      const entry = byHandle.get(handle);
      if (!entry) return;
      bySession.delete(entry.sessionId);
      entry.sessionId = sessionId;
      bySession.set(sessionId, handle);
    },
    async remove(handle) {
      remove(handle);
    },
    async close() {},
    get size() {
      return byHandle.size;
    },
  };
}
