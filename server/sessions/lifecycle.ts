// THE session lifecycle: one owner of every transition (create, touch, end, renew), serialized per session ID.
import type { Deadlines } from '../../shared/events.js';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import { systemClock } from './clock.js';
import type { AppData, SessionRecord, SessionStart } from './data.js';
import { isPast, startDeadlines, type Timeouts } from './deadline-math.js';
import { createDeadlineTimers } from './deadlines.js';
import { createExpirySweep } from './expiry-sweep.js';
import { createKeyedQueue } from './keyed-queue.js';
import { createTouch } from './touch.js';
import { createLifecycleEvents, type LifecycleEventMap } from './lifecycle-events.js';
import { silentLogger } from './logger.js';
import { createMemorySessionStore } from './memory-store.js';
import { createMemoryRegistry, newHandle } from './registry.js';
import { errorSummary, retryInBackground } from './retry.js';
import { createExpiryClaim } from './expiry-claim.js';
import { createRemoteNotes } from './remote-notes.js';
import type { SessionStore, StoredSession } from './store.js';
import type { TombstoneReason } from './tombstones.js';
import { CredentialsChangedError, expiredDeadline, newCsrfToken, newSessionId, type CredentialGuard, type KnownSession, type SessionLifecycleOptions, type SessionSummary } from './lifecycle-types.js';

export { CredentialsChangedError, newCsrfToken, newSessionId, type CredentialGuard, type KnownSession, type SessionLifecycleOptions, type SessionSummary };

/**
 * Every transition of a session goes through here, one at a time per session ID, so exactly one
 * wins: an end that answered is final, a renewal of an ended session fails, a sign-in that
 * verified a password replaced meanwhile fails. Bindings (HTTP, sockets) subscribe with `on`.
 * @example const lifecycle = createSessionLifecycle({ idleTimeoutMs: 30 * 60_000 });
 *          lifecycle.on('ended', ({ sessionId, reason }) => closeSocketsOf(sessionId, reason));
 *          const { sessionId } = await lifecycle.create({ userId: 'u1', username: 'ann' });
 *          await lifecycle.end(sessionId, 'logout');
 */
export function createSessionLifecycle<App extends object = AppData>(options: SessionLifecycleOptions = {}) {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const timeouts: Timeouts = { idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000, absoluteTimeoutMs: options.absoluteTimeoutMs ?? 8 * 3600_000 };
  const touchAfterMs = options.touchAfterMs ?? Math.min(30_000, Math.floor(timeouts.idleTimeoutMs / 60));
  const store = options.store ?? createMemorySessionStore({ clock, absoluteTimeoutMs: timeouts.absoluteTimeoutMs });
  const registry = options.registry ?? createMemoryRegistry({ now: () => clock.now(), absoluteTimeoutMs: timeouts.absoluteTimeoutMs });
  const retry = { clock, log, ...(options.backoff ? { backoff: options.backoff } : {}) };
  const events = createLifecycleEvents((error) => log.error({ err: errorSummary(error) }, 'a session lifecycle subscriber failed'));
  const inTurn = createKeyedQueue();
  const tombstones = store.tombstones;
  const admitted = new Map<string, KnownSession>();
  const freshMs = options.freshMs ?? 600_000;

  const timers = createDeadlineTimers({
    clock,
    log,
    read: async (sid) => {
      const sess = await store.get(sid);
      return sess ? { idleExpiresAt: sess.idleExpiresAt, absoluteExpiresAt: sess.absoluteExpiresAt } : null;
    },
    expire: (sid, deadlines) => void end(sid, 'expired', expiredDeadline(deadlines, clock.now())),
  });

  const { noteEnded, noteRenewed } = createRemoteNotes({ store, timers, emit: events.emit });
  const claimExpiry = createExpiryClaim({ store, clock, log, timers, noteEnded, noteRenewed });

  /** The store and registry steps of an end, after this node's subscribers were told. */
  const settleEnd = async (sessionId: string, reason: TombstoneReason, successor?: string): Promise<void> => {
    const unregister = async (): Promise<void> => {
      const entry = await registry.bySession(sessionId);
      if (!entry) return;
      await registry.remove(entry.handle);
      events.emit('listChanged', { userId: entry.userId });
    };
    let earlier: Awaited<ReturnType<SessionStore['destroy']>>;
    const destroyed = await retryInBackground('destroy ended session', async () => void (earlier = await store.destroy(sessionId, reason, successor)), retry);
    // Another node renewed this ID before our end reached the store: the session lives on under
    // the successor, so the end follows it there (an end that answered is final).
    if (destroyed && earlier?.reason === 'renewed' && earlier.successor && reason !== 'renewed') await end(earlier.successor, reason as EndReason);
    if (reason !== 'renewed') await retryInBackground('unregister ended session', unregister, retry);
  };

  /**
   * Ends a session. This node's subscribers (its sockets) hear it first, with no I/O in between;
   * then the store entry goes (retried while the store is down), then the registry entry. An
   * expiry is first claimed in a shared store (expiry-claim.ts): one node of all that notice it.
   * Resolves true when this call ended it, false when it had ended already.
   */
  function end(sessionId: string, reason: EndReason, deadline?: ExpiredDeadline): Promise<boolean> {
    return inTurn(sessionId, async () => {
      const known = tombstones.get(sessionId);
      const successor = known === 'renewed' ? tombstones.successor(sessionId) : undefined;
      if (successor) return end(successor, reason, deadline);
      if (known) return false;
      if (reason === 'expired') {
        const claim = await claimExpiry(sessionId);
        if (!claim.won || tombstones.get(sessionId)) return false;
        deadline = claim.deadline ?? deadline;
      }
      tombstones.add(sessionId, reason);
      timers.unwatch(sessionId);
      events.emit('ended', { sessionId, reason, ...(deadline ? { deadline } : {}), origin: 'here' });
      // The sockets' frames went out in the emit; their disconnect packets wait for the write's
      // callback, on the next tick: let them go before the store work (bench/README.md).
      await new Promise<void>((resolve) => process.nextTick(resolve));
      log.info({ reason, ...(deadline ? { deadline } : {}) }, 'session ended');
      await settleEnd(sessionId, reason);
      return true;
    });
  }

  const isLive = (sess: StoredSession | null, sessionId: string): sess is StoredSession => {
    if (!sess) return false;
    if (!isPast(sess, clock.now())) return true;
    void end(sessionId, 'expired', expiredDeadline(sess, clock.now()));
    return false;
  };

  /** A live session's record; null once it ended, expired or is unknown. A past deadline ends it. */
  const get = async (sessionId: string): Promise<SessionRecord<App> | null> => {
    if (tombstones.get(sessionId)) return null;
    const sess = await store.get(sessionId);
    return isLive(sess, sessionId) ? (sess as SessionRecord<App>) : null;
  };

  const touch = createTouch<App>({ store, timers, emit: events.emit, clock, timeouts, touchAfterMs });

  /**
   * Continues a live session under a new ID (a privilege change), keeping its handle, createdAt and
   * absolute deadline, with a new CSRF token. Null when it has ended: a renewal never revives one.
   * Subscribers hear of it once `notifyAfter` settles (the response carrying the new cookie).
   */
  const renew = (sessionId: string, notifyAfter?: Promise<unknown>): Promise<{ sessionId: string; record: SessionRecord<App> } | null> =>
    inTurn(sessionId, async () => {
      const current = await get(sessionId);
      if (!current) return null;
      const to = newSessionId();
      // The claim: whoever tombstones the ID first wins, here or (shared store) on any node.
      if (await store.destroy(sessionId, 'renewed', to)) return null;
      const record: SessionRecord<App> = { ...current, csrfToken: newCsrfToken() };
      await store.create(to, record);
      await registry.rename(current.handle, to);
      timers.unwatch(sessionId);
      void Promise.resolve(notifyAfter).finally(() => events.emit('renewed', { from: sessionId, to, origin: 'here' }));
      return { sessionId: to, record };
    });

  /** Every session of a user ends (`except` one, by ID). */
  const endAllOfUser = async (userId: string, reason: EndReason, except?: string): Promise<void> => {
    await Promise.all((await registry.list(userId)).filter((e) => e.sessionId !== except).map((e) => end(e.sessionId, reason)));
  };

  store.onVanished?.((sessionId) => void end(sessionId, 'expired'));
  const sweepEveryMs = options.sweepEveryMs ?? 5000;
  const sweep = store.dueForExpiry && sweepEveryMs !== false ? createExpirySweep({ clock, log, everyMs: sweepEveryMs, due: store.dueForExpiry.bind(store), expire: (sid, deadline) => end(sid, 'expired', deadline) }) : undefined;

  return {
    timeouts,
    /** How long a sign-in or password confirmation keeps the session fresh (step-up). */
    freshMs,
    touchAfterMs,
    clock,
    store,
    registry,
    on: events.on as <K extends keyof LifecycleEventMap>(name: K, listener: (event: LifecycleEventMap[K]) => void) => () => void,
    get,
    touch,
    end,
    renew,
    endAllOfUser,
    /** Read the user's credential epoch BEFORE reading the password hash a sign-in verifies. */
    credentialEpoch: (userId: string): Promise<number> => store.epoch(userId),
    /**
     * Signs a user in under a new session. With `guard`, fails with CredentialsChangedError when a
     * password change completed meanwhile (its registry entry is added before the entry is written,
     * so a change that lists the user's sessions after its epoch bump always sees and ends it).
     */
    async create(start: SessionStart<App>, guard?: CredentialGuard): Promise<{ sessionId: string; record: SessionRecord<App> }> {
      const now = clock.now();
      const sessionId = newSessionId();
      const record: SessionRecord<App> = {
        userId: start.userId,
        username: start.username,
        handle: newHandle(),
        csrfToken: newCsrfToken(),
        createdAt: now,
        lastSeenAt: now,
        ...startDeadlines(now, timeouts),
        userAgent: (start.userAgent ?? '').slice(0, 512),
        ip: start.ip ?? '',
        freshUntil: now + freshMs,
        app: start.app ?? {},
      };
      await registry.add({ handle: record.handle, sessionId, userId: record.userId, createdAt: now, userAgent: record.userAgent, ip: record.ip });
      await store.create(sessionId, record);
      if (guard && (await store.epoch(start.userId)) !== guard.epoch) {
        await end(sessionId, 'password_changed');
        throw new CredentialsChangedError();
      }
      events.emit('listChanged', { userId: record.userId });
      events.emit('started', { sessionId, userId: record.userId, handle: record.handle, createdAt: now, userAgent: record.userAgent, ip: record.ip });
      return { sessionId, record };
    },
    /**
     * A password change, atomic with the session's other transitions: this session is renewed
     * (null, nothing changed, when it has ended), `commit` writes the new credentials, the epoch
     * moves (sign-ins that verified the old password fail), and every other session ends.
     */
    async changeCredentials(sessionId: string, commit: () => Promise<void>, notifyAfter?: Promise<unknown>): Promise<{ sessionId: string; record: SessionRecord<App> } | null> {
      const renewed = await renew(sessionId, notifyAfter);
      if (!renewed) return null;
      await commit();
      await store.bumpEpoch(renewed.record.userId);
      await endAllOfUser(renewed.record.userId, 'password_changed', renewed.sessionId);
      events.emit('listChanged', { userId: renewed.record.userId });
      return renewed;
    },
    /** Ends a user's session by its public handle; null when it is unknown or another user's. */
    async revoke(userId: string, handle: string): Promise<{ sessionId: string } | null> {
      const entry = await registry.byHandle(handle);
      if (!entry || entry.userId !== userId) return null;
      await end(entry.sessionId, 'revoked');
      return { sessionId: entry.sessionId };
    },
    /** The user's live sessions, oldest first, pruning entries whose store entry is gone. */
    async list(userId: string): Promise<SessionSummary[]> {
      const items = await Promise.all(
        (await registry.list(userId)).map(async ({ userId: _user, ...entry }): Promise<SessionSummary | null> => {
          const sess = await get(entry.sessionId);
          if (!sess) {
            if (!tombstones.get(entry.sessionId)) await registry.remove(entry.handle);
            return null;
          }
          return { ...entry, lastSeenAt: sess.lastSeenAt };
        }),
      );
      return items.filter((i): i is SessionSummary => i !== null).sort((a, b) => a.createdAt - b.createdAt);
    },
    /** Step-up: true while the record's sign-in or last password confirmation is recent enough. */
    isFresh: (record: Pick<SessionRecord<App>, 'freshUntil'>): boolean => (record.freshUntil ?? 0) > clock.now(),
    /** After a password confirmation: fresh for `freshMs` more; resolves the new `freshUntil`, null once ended. */
    markFresh: async (sessionId: string): Promise<number | null> => (tombstones.get(sessionId) ? null : ((await store.update(sessionId, { freshUntil: clock.now() + freshMs }))?.freshUntil ?? null)),
    /** The session's app data; null when it has ended. */
    readApp: async (sessionId: string): Promise<Partial<App> | null> => (await get(sessionId))?.app ?? null,
    /** Merges app data key by key, saved at once; no other write carries it, so none overwrites it. */
    async writeApp(sessionId: string, patch: Partial<App>): Promise<Partial<App> | null> {
      if (tombstones.get(sessionId)) return null;
      const saved = await store.update(sessionId, { app: patch as Record<string, unknown> });
      return (saved?.app as Partial<App> | undefined) ?? null;
    },
    /** Why this node knows an ID to be dead (`renewed`: it continues under a new ID). */
    endedReason: (sessionId: string): TombstoneReason | undefined => tombstones.get(sessionId),
    isEnded: (sessionId: string): boolean => tombstones.get(sessionId) !== undefined,
    /** Another node ended it: this node's subscribers hear it (origin `elsewhere`); no store work. */
    noteEnded,
    /** Another node renewed it. */
    noteRenewed,
    /**
     * Pushed expiry for a session with open sockets here, watched until `unwatch`. `known` is what
     * its sockets were admitted with: enough to check a sign-out while the store is down.
     */
    watch(sessionId: string, deadlines: Deadlines, known?: KnownSession): void {
      timers.watch(sessionId, deadlines);
      if (known) admitted.set(sessionId, known);
    },
    unwatch(sessionId: string): void {
      timers.unwatch(sessionId);
      admitted.delete(sessionId);
    },
    /** What this node knows of a watched session without the store (user, admitted CSRF token). */
    known: (sessionId: string): KnownSession | undefined => admitted.get(sessionId),
    isWatching: (sessionId: string): boolean => timers.isWatching(sessionId),
    stats: () => ({ sessionsWatched: timers.size, tombstones: tombstones.size }),
    /** One sweep of the store's deadline index now (a sweep also runs every `sweepEveryMs`). */
    sweepExpired: (): Promise<number> => sweep?.sweep() ?? Promise.resolve(0),
    close(): void {
      timers.close();
      sweep?.close();
    },
  };
}

export type SessionLifecycle<App extends object = AppData> = ReturnType<typeof createSessionLifecycle<App>>;
