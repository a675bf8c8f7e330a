// GET /api/session with staleness guards: only the newest answer counts, and the CSRF token waits for it.
import type { SessionState } from '../shared/api.js';
import type { ApiResult } from './api.js';

/**
 * Several things ask for /api/session at once (load, another tab, a renewal, a refused socket);
 * answers can come back out of order. Each `load` gets an epoch, and only the newest one's answer
 * reaches its callback. `token()` waits for whatever load is in flight, so a form submitted while
 * the page fetches a fresh token sends the fresh one.
 * @example const loader = new SessionLoader(api.session); await loader.load((res) => res.ok && show(res.data));
 */
export class SessionLoader {
  /** The token to send; '' while none is known (after a session ended, before the next answer). */
  csrfToken = '';

  readonly #fetch: () => Promise<ApiResult<SessionState>>;
  #loading: Promise<void> = Promise.resolve();
  #epoch = 0;
  #renewing: Promise<unknown> | null = null;

  constructor(fetchSession: () => Promise<ApiResult<SessionState>>) {
    this.#fetch = fetchSession;
  }

  /** Fetches the session; `onAnswer` runs only if no newer load started meanwhile. */
  load(onAnswer: (res: ApiResult<SessionState>) => void): Promise<void> {
    const epoch = ++this.#epoch;
    this.#loading = (async () => {
      // A password change in flight is about to replace the cookie: ask after it.
      if (this.#renewing) await this.#renewing.catch(() => undefined);
      const res = await this.#fetch();
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
