// One sentence per activity entry ("Signed in", "3 failed sign-ins", "Revoked a session"…), from its kind and detail.
import type { ActivityItem } from '../shared/account.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * @example activitySentence({ kind: 'sign_in_failed', detail: { count: 3 }, … }) // '3 failed sign-ins'
 */
export function activitySentence(item: Pick<ActivityItem, 'kind' | 'detail'>): string {
  const d = item.detail;
  switch (item.kind) {
    case 'signed_in':
      return 'Signed in';
    case 'sign_in_failed':
      return plural(Number(d.count ?? 1), 'failed sign-in', 'failed sign-ins');
    case 'signed_out':
      return 'Signed out';
    case 'signed_out_everywhere':
      return 'Signed out everywhere';
    case 'revoked':
      return 'Revoked a session';
    case 'password_changed':
      return 'Changed the password';
    case 'expired':
      return d.deadline === 'absolute' ? 'A session reached its time limit' : d.deadline === 'idle' ? 'A session expired after inactivity' : 'A session expired';
    case 'reauthenticated':
      return 'Confirmed the password';
    case 'locked':
      return 'An operator locked the account';
    case 'unlocked':
      return 'An operator unlocked the account';
    case 'ended_by_operator':
      return `An operator ended ${plural(Number(d.sessions ?? 0), 'session', 'sessions')}`;
    default:
      return 'Account activity';
  }
}
