// The sign-in limit: only failed sign-ins count, per username + client IP and per IP, whatever the concurrency.
import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { storeOptions, type LimitStores } from '../../scale/limit-stores.js';
import { HttpError } from './api-errors.js';

export interface LoginLimitOptions {
  stores: LimitStores;
  /** Failures per username + IP within the window before 429 (the contract's 5). */
  failuresPerUser: number;
  /** Failures per IP, any username, within the window before 429. */
  failuresPerIp: number;
  windowMs: number;
  /**
   * How long an attempt's place among the ones being verified is held at most: a node that dies
   * mid-verification gives its places back after this. Far longer than one verification.
   */
  pendingWindowMs?: number;
  /** How often an attempt waiting for a place asks again (places held on other nodes free without a local signal). */
  pollMs?: number;
  /** Gives up waiting for a place after this many polls in a row without a local attempt finishing (then 429, retry in a second). */
  maxWaitRounds?: number;
}

export interface LoginLimit {
  /**
   * Runs `verify` (the password check) as one sign-in attempt: refused with 429 once either key
   * has its failures, counted as a failure only when `verify` resolves `undefined`. Store errors
   * are 503 (the sign-in fails closed).
   */
  attempt<T>(req: Request, username: string, verify: () => Promise<T | undefined>): Promise<T | undefined>;
}

interface Key {
  key: string;
  limit: number;
  what: string;
}

const rateLimited = (what: string, seconds: number): HttpError =>
  new HttpError(429, 'rate_limited', `too many ${what}; try again in ${seconds} seconds`, { 'Retry-After': String(seconds) });

/**
 * Two counters per key, both express-rate-limit stores: the failures of the window, and the
 * attempts being verified right now ("pending"). An attempt takes a pending place first, then
 * reads the failures, and is verified only while failures + pending stay within the limit, so
 * parallel guesses can never verify more than the limit allows, and a failure is added before its
 * place is given back, so none goes unseen. An attempt that finds the places taken by attempts
 * still being verified (not by failures) waits for one to finish instead of being refused: ten
 * parallel sign-ins with the right password all succeed.
 * @example const limit = createLoginLimit({ stores, failuresPerUser: 5, failuresPerIp: 100, windowMs: 900_000 });
 *          const user = await limit.attempt(req, username, () => checkPassword(username, password));
 */
export function createLoginLimit({ stores, failuresPerUser, failuresPerIp, windowMs, pendingWindowMs = 60_000, pollMs = 25, maxWaitRounds = 200 }: LoginLimitOptions): LoginLimit {
  const failures = stores.create('login-failures');
  const pending = stores.create('login-pending');
  failures.init?.(storeOptions(windowMs));
  pending.init?.(storeOptions(pendingWindowMs));
  const waiters = new Set<() => void>();
  const wakeAll = (): void => {
    for (const wake of [...waiters]) wake();
  };
  /** Resolves true when a local attempt finished, false after `pollMs` without one (a place held on another node may be free by then). */
  const placeFreed = (): Promise<boolean> =>
    new Promise((resolve) => {
      const done = (finished: boolean): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(finished);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), pollMs);
      waiters.add(wake);
    });
  /** Gives the places back. Only a verified attempt wakes the waiters: a waiter's own step back must not, or they wake each other in a loop. */
  const release = async (keys: readonly Key[], verified = false): Promise<void> => {
    await Promise.allSettled(keys.map(({ key }) => pending.decrement(key)));
    if (verified) wakeAll();
  };

  /** Takes a place for every key; resolves true when the attempt may be verified now, false when it should wait. */
  const reserve = async (keys: readonly Key[]): Promise<boolean> => {
    const taken: Key[] = [];
    try {
      const places: number[] = [];
      for (const k of keys) {
        places.push((await pending.increment(k.key)).totalHits);
        taken.push(k);
      }
      // After taking the places (see above): a failure that moved from pending to failures is seen in one of them.
      const failed = await Promise.all(keys.map(({ key }) => failures.get?.(key)));
      for (const [i, k] of keys.entries()) {
        const info = failed[i];
        if ((info?.totalHits ?? 0) >= k.limit) throw rateLimited(k.what, secondsUntil(info?.resetTime, windowMs));
      }
      if (keys.every((k, i) => (failed[i]?.totalHits ?? 0) + (places[i] ?? 0) <= k.limit)) return true;
    } catch (error) {
      await release(taken);
      throw error;
    }
    await release(taken);
    return false;
  };

  return {
    async attempt(req, username, verify) {
      const ip = ipKeyGenerator(req.ip ?? 'unknown');
      // Usernames match case-insensitively, so their counts do too; the cut bounds the key's size.
      const keys: Key[] = [
        { key: `user:${ip}|${username.toLowerCase().slice(0, 64)}`, limit: failuresPerUser, what: 'failed sign-ins' },
        { key: `ip:${ip}`, limit: failuresPerIp, what: 'failed sign-ins from this address' },
      ];
      for (let idle = 0; !(await reserve(keys)); ) {
        if (idle >= maxWaitRounds) throw rateLimited('sign-ins at once', 1);
        idle = (await placeFreed()) ? 0 : idle + 1;
      }
      try {
        const result = await verify();
        // Counted before the place is given back: an attempt reserving meanwhile sees it in one of the two.
        if (result === undefined) await Promise.all(keys.map(({ key }) => failures.increment(key)));
        return result;
      } finally {
        await release(keys, true);
      }
    },
  };
}

function secondsUntil(resetTime: Date | undefined, windowMs: number): number {
  const ms = resetTime ? resetTime.getTime() - Date.now() : windowMs;
  return Math.max(1, Math.ceil(ms / 1000));
}
