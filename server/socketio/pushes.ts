// Coalesced pushes to tabs: "your sessions list changed" per user, new deadlines per session.
import type { Deadlines } from '../../shared/events.js';
import { sessionRoom, userRoom, type TetherServer } from './rooms.js';

export interface PushesOptions {
  io: TetherServer;
  isEnded(sessionId: string): boolean;
  clustered: boolean;
  /**
   * How long "your list changed" pushes of one user are gathered before one is sent: the tabs of
   * a browser connecting together (a restart, a reconnect storm) cost one push, not one per tab.
   * 0: a microtask, as the deadlines. A transport window, on real time (not the session clock).
   */
  listWindowMs?: number;
}

/**
 * Deadlines are sent in a microtask, once the synchronous work that caused them is done; list
 * changes after `listWindowMs`.
 * @example const { listChanged, pushDeadlines } = createPushes({ io, isEnded: lifecycle.isEnded, clustered });
 */
export function createPushes({ io, isEnded, clustered, listWindowMs = 50 }: PushesOptions) {
  // The user's other tabs refetch their list of sessions (tab counts, sessions started or ended).
  // A logout disconnects all of a session's tabs in one synchronous loop: the push is coalesced to
  // one per user, sent in a microtask once the loop is done (so still before anything that waits on
  // I/O). One push per closing tab to every other tab was O(tabs²) frames and made a 100-tab logout
  // 3-4× slower than the express-session recipe's (bench/README.md).
  // A tab that just connected fetches the list itself, so it is left out of the push its own
  // connect causes (one frame less per handshake, and no second fetch by that tab).
  // A just-connected tab is spared only when its own connect is all that changed: a change of
  // another kind in the same window (a sign-in) may have come after that tab's own fetch.
  const changedUsers = new Map<string, { connected: Set<string>; other: boolean }>();
  const flushListChanged = (): void => {
    for (const [userId, { connected, other }] of changedUsers) {
      const room = userRoom(userId);
      const except = other ? [] : [...connected];
      // On a single node with nobody left to tell (a user's only tab opening or closing), no
      // packet is encoded for no one; with several nodes, theirs may be listening.
      const members = io.of('/').adapter.rooms.get(room);
      if (!clustered && [...(members ?? [])].every((id) => except.includes(id))) continue;
      io.to(room).except(except).emit('sessions:changed');
    }
    changedUsers.clear();
  };
  let listTimer: ReturnType<typeof setTimeout> | undefined;
  const listChanged = (userId: string, connectedSocketId?: string): void => {
    if (changedUsers.size === 0) {
      if (listWindowMs > 0) {
        listTimer = setTimeout(flushListChanged, listWindowMs);
        listTimer.unref();
      } else queueMicrotask(flushListChanged);
    }
    const entry = changedUsers.get(userId) ?? { connected: new Set<string>(), other: false };
    if (connectedSocketId) entry.connected.add(connectedSocketId);
    else entry.other = true;
    changedUsers.set(userId, entry);
  };

  // Activity (an API request, a handshake, a touch) tells the session's tabs their new deadlines,
  // in a microtask: still before the response or ack is written, but dropped when the session ended
  // meanwhile. A logout request is activity too (the activity middleware runs before the route),
  // and its tabs need `session:ended` at once, not a deadline push first (bench/README.md).
  // The socket that sent a `session:touch` learns its deadlines from the ack, so it is spared the
  // push (one frame less per touch), unless other activity of the session in the same turn needs it told.
  const pendingDeadlines = new Map<string, { deadlines: Deadlines; except: string | undefined }>();
  const flushDeadlines = (): void => {
    for (const [sessionId, { deadlines, except }] of pendingDeadlines) {
      if (isEnded(sessionId)) continue;
      // One broadcast: the packet is encoded once for all the session's tabs (bench/README.md).
      io.local.to(sessionRoom(sessionId)).except(except ?? []).emit('session:deadlines', deadlines);
    }
    pendingDeadlines.clear();
  };
  const pushDeadlines = (sessionId: string, deadlines: Deadlines, exceptSocketId?: string): void => {
    if (pendingDeadlines.size === 0) queueMicrotask(flushDeadlines);
    const pending = pendingDeadlines.get(sessionId);
    // Deadlines only move forward: the latest is the one to tell.
    pendingDeadlines.set(sessionId, { deadlines, except: pending && pending.except !== exceptSocketId ? undefined : exceptSocketId });
  };

  /** Sends what is pending now (shutting down: the last request's pushes must not wait for a timer that would find the adapter closed). */
  const flush = (): void => {
    clearTimeout(listTimer);
    flushListChanged();
    flushDeadlines();
  };

  return { listChanged, pushDeadlines, flush };
}
