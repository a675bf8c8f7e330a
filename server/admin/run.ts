// Runs one operators' command against the nodes' shared store: list, end or lock a user's sessions.
import type { EndReason } from '../../shared/reasons.js';
import type { SessionLifecycle, SessionSummary } from '../sessions/index.js';
import { AdminUsageError, USAGE, type AdminCommand } from './args.js';

/** How the command finds the app's users and locks them (the app's own database). */
export interface AdminAccounts {
  find(username: string): Promise<{ id: string; username: string; locked: boolean } | null>;
  /** Locks (sign-in refused with 403 account_locked) or unlocks the account. */
  setLocked(userId: string, locked: boolean): Promise<void>;
  /** Optional history entry of what the operator did. */
  record?(entry: { userId: string; kind: 'locked' | 'unlocked' | 'ended_by_operator'; detail: Record<string, string | number> }): Promise<void>;
  close(): Promise<void>;
}

export interface AdminDeps {
  accounts: AdminAccounts;
  /** Over the store and registry the nodes share; its `ended` events are announced to every node. */
  lifecycle: Pick<SessionLifecycle, 'list' | 'endAllOfUser' | 'store'>;
  /** The user's open tabs refetch their lists (sessions, activity). */
  changed(userId: string): void;
  out(line: string): void;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** A plain-text table: a header, then one row per session. */
function table(items: readonly SessionSummary[]): string[] {
  const rows = [['ID', 'SIGNED IN', 'LAST SEEN', 'IP', 'USER AGENT'], ...items.map((s) => [s.handle, iso(s.createdAt), iso(s.lastSeenAt), s.ip || '-', (s.userAgent || '-').slice(0, 60)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
}

/**
 * Resolves the exit code (0 done, 1 unknown user, 2 bad arguments are thrown as AdminUsageError).
 * @example await runAdmin(parseAdminArgs(['lock', 'alice']), { accounts, lifecycle, changed, out: console.log });
 */
export async function runAdmin(command: AdminCommand, { accounts, lifecycle, changed, out }: AdminDeps): Promise<number> {
  if (command.name === 'help') {
    out(USAGE);
    return 0;
  }
  const user = await accounts.find(command.username);
  if (!user) {
    out(command.json ? JSON.stringify({ error: { code: 'not_found', message: `no user named ${command.username}` } }) : `no user named ${command.username}`);
    return 1;
  }
  const endAll = async (reason: EndReason): Promise<number> => {
    const n = (await lifecycle.list(user.id)).length;
    await lifecycle.endAllOfUser(user.id, reason);
    return n;
  };
  switch (command.name) {
    case 'sessions': {
      const items = await lifecycle.list(user.id);
      if (command.json) out(JSON.stringify({ user: { id: user.id, username: user.username, locked: user.locked }, sessions: items.map(({ sessionId: _secret, ...s }) => ({ id: s.handle, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, ip: s.ip, userAgent: s.userAgent })) }));
      else for (const line of [`${user.username}${user.locked ? ' (locked)' : ''}: ${items.length} session${items.length === 1 ? '' : 's'}`, ...(items.length ? table(items) : [])]) out(line);
      return 0;
    }
    case 'end': {
      const ended = await endAll(command.reason);
      await accounts.record?.({ userId: user.id, kind: 'ended_by_operator', detail: { reason: command.reason, sessions: ended } });
      changed(user.id);
      out(command.json ? JSON.stringify({ user: user.username, ended, reason: command.reason }) : `ended ${ended} session${ended === 1 ? '' : 's'} of ${user.username} (${command.reason})`);
      return 0;
    }
    case 'lock': {
      // Locked first, then the credential epoch moves (a sign-in that verified the password before
      // the lock fails), then every session ends: no sign-in slips between.
      await accounts.setLocked(user.id, true);
      await lifecycle.store.bumpEpoch(user.id);
      const ended = await endAll('revoked');
      await accounts.record?.({ userId: user.id, kind: 'locked', detail: { sessions: ended } });
      changed(user.id);
      out(command.json ? JSON.stringify({ user: user.username, locked: true, ended }) : `locked ${user.username}; ended ${ended} session${ended === 1 ? '' : 's'}`);
      return 0;
    }
    case 'unlock': {
      await accounts.setLocked(user.id, false);
      await accounts.record?.({ userId: user.id, kind: 'unlocked', detail: {} });
      changed(user.id);
      out(command.json ? JSON.stringify({ user: user.username, locked: false }) : `unlocked ${user.username}`);
      return 0;
    }
    default:
      throw new AdminUsageError(USAGE);
  }
}
