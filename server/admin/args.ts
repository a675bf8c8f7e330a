// The operators' command line: `sessions|end|lock|unlock <username>` with its flags, parsed strictly.
import { END_REASONS, type EndReason } from '../../shared/reasons.js';

export type AdminCommand =
  | { name: 'sessions'; username: string; json: boolean }
  | { name: 'end'; username: string; reason: EndReason; json: boolean }
  | { name: 'lock' | 'unlock'; username: string; json: boolean }
  | { name: 'help' };

/** Bad arguments: the command prints the message as one line and exits 2. */
export class AdminUsageError extends Error {
  readonly exitCode = 2;
}

export const USAGE = 'usage: tether-session-admin sessions <username> [--json] | end <username> [--reason revoked|logout_everywhere|logout|password_changed|expired] [--json] | lock <username> [--json] | unlock <username> [--json]';

const NAMES = new Set(['sessions', 'end', 'lock', 'unlock']);
const isReason = (value: string): value is EndReason => (END_REASONS as readonly string[]).includes(value);

/**
 * @example parseAdminArgs(['end', 'alice', '--reason', 'revoked']) // { name: 'end', username: 'alice', reason: 'revoked', json: false }
 */
export function parseAdminArgs(argv: readonly string[]): AdminCommand {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { name: 'help' };
  const [name, ...rest] = argv as [string, ...string[]];
  if (!NAMES.has(name)) throw new AdminUsageError(`unknown command ${JSON.stringify(name)}; ${USAGE}`);
  let json = false;
  let reason: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--reason' || arg.startsWith('--reason=')) {
      if (name !== 'end') throw new AdminUsageError(`--reason is only for "end"; ${USAGE}`);
      reason = arg.includes('=') ? arg.slice('--reason='.length) : rest[++i];
      if (reason === undefined) throw new AdminUsageError(`--reason needs a value: one of ${END_REASONS.join(', ')}`);
    } else if (arg.startsWith('-')) throw new AdminUsageError(`unknown option ${JSON.stringify(arg)}; ${USAGE}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new AdminUsageError(`"${name}" takes exactly one <username>; ${USAGE}`);
  const username = positional[0]!;
  if (name === 'end') {
    const r = reason ?? 'revoked';
    if (!isReason(r)) throw new AdminUsageError(`--reason ${JSON.stringify(r)} is not one of ${END_REASONS.join(', ')}`);
    return { name, username, reason: r, json };
  }
  return { name: name as 'sessions' | 'lock' | 'unlock', username, json };
}
