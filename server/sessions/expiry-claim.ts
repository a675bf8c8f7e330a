// Before an expiry is announced, a shared store decides which of the nodes that noticed it wins.
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import type { Clock } from './clock.js';
import type { DeadlineTimers } from './deadlines.js';
import type { Logger } from './logger.js';
import { errorSummary } from './retry.js';
import type { SessionStore } from './store.js';

export interface ExpiryClaimDeps {
  store: Pick<SessionStore, 'claimExpiry'>;
  clock: Clock;
  log: Logger;
  timers: Pick<DeadlineTimers, 'isWatching' | 'watch' | 'unwatch'>;
  noteEnded(sessionId: string, reason: EndReason): void;
  noteRenewed(sessionId: string, to?: string): void;
}

/** Won: this node announces (and records) the expiry; `deadline` when the store could still tell. */
export type ExpiryClaimResult = { won: true; deadline?: ExpiredDeadline } | { won: false };

/**
 * Several nodes notice the same expiry (a socket's deadline timer here, each node's sweep) and
 * exactly one may announce and record it, so it is claimed in the store before anyone hears of it.
 * A user's act (sign-out, revoke) is not: it is announced at once, with no I/O first. With no
 * shared store, or the store down, there is nothing to claim against: this node's sockets end.
 * A lost claim still ends this node's sockets now (the winner's message then changes nothing).
 * @example const claim = createExpiryClaim({ store, clock, log, timers, noteEnded, noteRenewed });
 *          if ((await claim(sid)).won) announce();
 */
export function createExpiryClaim({ store, clock, log, timers, noteEnded, noteRenewed }: ExpiryClaimDeps) {
  return async (sessionId: string): Promise<ExpiryClaimResult> => {
    if (!store.claimExpiry) return { won: true };
    let claim: Awaited<ReturnType<NonNullable<SessionStore['claimExpiry']>>>;
    try {
      claim = await store.claimExpiry(sessionId, clock.now());
    } catch (error) {
      log.warn({ err: errorSummary(error) }, 'could not claim an expiry in the store; ending it here');
      return { won: true };
    }
    if (claim.outcome === 'claimed') return claim.deadline ? { won: true, deadline: claim.deadline } : { won: true };
    if (claim.outcome === 'live') {
      // Activity elsewhere moved it: a watch whose check found it past starts over from there.
      if (timers.isWatching(sessionId)) {
        timers.unwatch(sessionId);
        timers.watch(sessionId, claim.deadlines);
      }
    } else if (claim.reason === 'renewed') noteRenewed(sessionId, claim.successor);
    else noteEnded(sessionId, claim.reason);
    return { won: false };
  };
}
