// Records the activity history as things happen, tells the user's tabs, and prunes what is past retention.
import type { SignInNotice } from '../../shared/account.js';
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../sessions/index.js';
import type { SessionLifecycle } from '../sessions/index.js';
import { sessionRoom, userRoom, type TetherServer } from '../socketio/index.js';
import type { ActivityEntry, ActivityRepo } from './repo.js';

export interface ActivityRecorderOptions {
  repo: ActivityRepo;
  io: TetherServer;
  lifecycle: Pick<SessionLifecycle, 'on' | 'registry'>;
  clock: Clock;
  log: Logger;
  /** How often expired entries are pruned (and once at start). */
  pruneEveryMs?: number;
}

export type ActivityRecorder = ReturnType<typeof createActivityRecorder>;

/**
 * Routes call `record` for what a request did (who revoked which, from where); expiries come from
 * the lifecycle. A write that fails is logged, never the act's failure: history is not worth a
 * sign-out that did not happen. Every entry pushes `activity:changed` to the user's tabs (all nodes).
 * @example const activity = createActivityRecorder({ repo, io, lifecycle, clock, log });
 *          await activity.record({ userId, kind: 'signed_out', ip: req.ip, userAgent, detail: { session: handle } });
 */
export function createActivityRecorder({ repo, io, lifecycle, clock, log, pruneEveryMs = 3_600_000 }: ActivityRecorderOptions) {
  const changed = (userId: string): void => {
    io.to(userRoom(userId)).emit('activity:changed');
  };
  const guarded = async (userId: string, write: () => Promise<void>): Promise<void> => {
    try {
      await write();
      changed(userId);
    } catch (error) {
      log.warn({ err: error, userId }, 'could not record activity');
    }
  };

  // Only where the end was decided (origin 'here'), so two nodes never both write it. The registry
  // entry is asked for in the listener itself, before the lifecycle's own unregister (which waits
  // for the store's destroy) is even sent: the entry is still there.
  const offEnded = lifecycle.on('ended', ({ sessionId, reason, deadline, origin }) => {
    if (reason !== 'expired' || origin !== 'here') return;
    void lifecycle.registry.bySession(sessionId).then(
      (entry) => entry && guarded(entry.userId, () => repo.add({ userId: entry.userId, kind: 'expired', ip: entry.ip, userAgent: entry.userAgent, detail: { session: entry.handle, ...(deadline ? { deadline } : {}) } })),
      (error: unknown) => log.warn({ err: error }, 'could not find the expired session to record it'),
    );
  });

  let timer: TimerHandle | undefined;
  let closed = false;
  const prune = async (): Promise<number> => {
    try {
      const n = await repo.prune();
      if (n > 0) log.info({ pruned: n }, 'activity pruned');
      return n;
    } catch (error) {
      log.warn({ err: error }, 'could not prune activity');
      return 0;
    }
  };
  const schedule = (): void => {
    if (closed) return;
    timer = clock.setTimeout(() => void prune().finally(schedule), pruneEveryMs);
    (timer as { unref?: () => void }).unref?.();
  };
  void prune();
  schedule();

  return {
    record: (entry: ActivityEntry): Promise<void> => guarded(entry.userId, () => repo.add(entry)),
    /** A wrong password for a known user: counted into the burst. */
    failedSignIn: (entry: Omit<ActivityEntry, 'kind' | 'detail'>): Promise<void> => guarded(entry.userId, () => repo.addFailure(entry)),
    /**
     * A session started by sign-in: every other tab of the user (every node) gets
     * `sessions:signed-in`; the new session's own room is left out.
     */
    announceSignIn(userId: string, sessionId: string, notice: SignInNotice): void {
      io.to(userRoom(userId)).except(sessionRoom(sessionId)).emit('sessions:signed-in', notice);
    },
    page: repo.page,
    prune,
    close(): void {
      closed = true;
      if (timer) clock.clearTimeout(timer);
      offEnded();
    },
  };
}
