// GET /api/session with staleness guards: only the newest answer counts, and the CSRF token waits for it.
import type { SessionState } from '../shared/api.js';
import type { ApiResult } from './api.js';
import { phoenixBackoff, realTimers, type Backoff, type Timers } from './toolkit/index.js';

export type FetchSession = (options: { background: boolean }) => Promise<ApiResult<SessionState>>;

export interface SessionLoaderOptions {
  /** Waits between asks while the server answers 409 session_renewed. */
  backoff?: Backoff;
  timers?: Timers;
  /** How many times to ask again after 409 session_renewed before giving that answer. */
  renewalRetries?: number;
}

/**
 * Several things ask for /api/session at once (load, another tab, a renewal, a refused socket);
 * answers can come back out of order. Each `load` gets an epoch, and only the newest one's answer
 * reaches its callback. `token()` waits for whatever load is in flight, so a form submitted while
 * the page fetches a fresh token sends the fresh one.
 *
 * 409 session_renewed means the cookie's session continues under a new ID whose cookie is still on
 * its way (a password change in another tab, announced by `session:renewed` before that tab's
 * response lands): the loader asks again after `backoff(tries)`, a few times.
 * @example const loader = new SessionLoader(api.session); await loader.load((res) => res.ok && show(res.data));
 */
export class SessionLoader {
  /** The token to send; '' while none is known (after a session ended, before the next answer). */
  csrfToken = '';

  readonly #fetch: FetchSession;
  readonly #backoff: Backoff;
  readonly #timers: Timers;
  readonly #renewalRetries: number;
  #loading: Promise<void> = Promise.resolve();
  #epoch = 0;
  #renewing: Promise<unknown> | null = null;

  constructor(fetchSession: FetchSession, { backoff = phoenixBackoff, timers = realTimers, renewalRetries = 8 }: SessionLoaderOptions = {}) {
    this.#fetch = fetchSession;
    this.#backoff = backoff;
    this.#timers = timers;
    this.#renewalRetries = renewalRetries;
  }

  /**
   * Fetches the session; `onAnswer` runs only if no newer load started meanwhile. `background`: the
   * page asks by itself, so the request does not count as the user's activity.
   */
  load(onAnswer: (res: ApiResult<SessionState>) => void, { background = false }: { background?: boolean } = {}): Promise<void> {
    const epoch = ++this.#epoch;
    this.#loading = (async () => {
      // A password change in flight is about to replace the cookie: ask after it.
      if (this.#renewing) await this.#renewing.catch(() => undefined);
      let res = await this.#fetch({ background });
      for (let tries = 1; tries <= this.#renewalRetries && epoch === this.#epoch && isRenewed(res); tries += 1) {
        await new Promise<void>((resolve) => this.#timers.setTimeout(resolve, this.#backoff(tries)));
        if (epoch === this.#epoch) res = await this.#fetch({ background });
      }
      if (epoch === this.#epoch) onAnswer(res);
    })();
    return this.#loading;
  }

  /** Answers still in flight no longer count (the page went away). */
  invalidate(): void {
    this.#epoch += 1;
  }

  /** Marks a request that renews the session (new cookie): loads started meanwhile wait for it. */
  async renewing<T>(request: Promise<T>): Promise<T> {
    this.#renewing = request;
    try {
      return await request;
    } finally {
      if (this.#renewing === request) this.#renewing = null;
    }
  }

  /** The current CSRF token, after any load in flight (even one started while waiting). */
  async token(): Promise<string> {
    let pending: Promise<void>;
    do {
      pending = this.#loading;
      await pending;
    } while (pending !== this.#loading);
    return this.csrfToken;
  }
}

const isRenewed = (res: ApiResult<SessionState>): boolean => !res.ok && res.status === 409 && res.code === 'session_renewed';
