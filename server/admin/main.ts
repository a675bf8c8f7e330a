// The operators' command as a process: arguments → one command against the nodes' store → exit code.
import { AdminUsageError, parseAdminArgs, USAGE } from './args.js';
import { openRedisTarget, type RedisTargetOptions } from './redis-target.js';
import { runAdmin, type AdminAccounts } from './run.js';

export interface AdminMainOptions {
  argv: readonly string[];
  /** SESSION_STORE (must be `redis`) and where Redis is; parsed by the caller. */
  target: RedisTargetOptions & { sessionStore: string };
  /** Opens the app's accounts (after the arguments were checked). */
  accounts(): Promise<AdminAccounts>;
  out?(line: string): void;
  err?(line: string): void;
}

export const MEMORY_STORE_REFUSAL =
  'tether-session-admin: SESSION_STORE is "memory": those sessions live inside one running node and cannot be reached from another process; run the nodes and this command with SESSION_STORE=redis (and DATABASE_URL), or sign out from the dashboard';

/**
 * 0 done, 1 failed (unknown user, Redis or the database unreachable), 2 bad arguments or a
 * configuration it cannot work with (one line on stderr).
 * @example process.exitCode = await adminMain({ argv: process.argv.slice(2), target, accounts: openAccounts });
 */
export async function adminMain({ argv, target, accounts, out = (l) => process.stdout.write(`${l}\n`), err = (l) => process.stderr.write(`${l}\n`) }: AdminMainOptions): Promise<number> {
  let command;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    if (!(error instanceof AdminUsageError)) throw error;
    err(`tether-session-admin: ${error.message}`);
    return 2;
  }
  if (command.name === 'help') {
    out(USAGE);
    return 0;
  }
  if (target.sessionStore !== 'redis') {
    err(MEMORY_STORE_REFUSAL);
    return 2;
  }
  let opened: Awaited<ReturnType<typeof openRedisTarget>> | undefined;
  let directory: AdminAccounts | undefined;
  let code: number;
  try {
    opened = await openRedisTarget(target);
    directory = await accounts();
    const { lifecycle, changed } = opened;
    code = await runAdmin(command, { accounts: directory, lifecycle, changed, out });
  } catch (error) {
    err(`tether-session-admin: ${error instanceof Error ? error.message : String(error)}`);
    // A configuration it cannot work with is the caller's to fix, as bad arguments are.
    code = error instanceof AdminUsageError ? 2 : 1;
  }
  const [closed] = await Promise.allSettled([opened?.close(), directory?.close()]);
  const unsent = closed.status === 'fulfilled' ? (closed.value?.unsent ?? 0) : 0;
  if (unsent > 0 && code === 0) {
    err(`tether-session-admin: done in the store, but ${unsent} message(s) to the nodes could not be sent: open tabs close at their next request or touch instead of at once`);
    return 1;
  }
  return code;
}
