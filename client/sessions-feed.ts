// The "Your sessions" data: fetched on demand, debounced on pushes, guarded against stale answers.
import type { SessionList, SessionListItem } from '../shared/api.js';
import { realTimers, type Timers } from './toolkit/index.js';
import type { ApiFailure, ApiResult } from './api.js';
import { actionFailureMessage } from './messages.js';

export interface SessionsFeedOptions {
  /** GET /api/sessions as a background request: a refetch the page makes by itself is not the user's activity. */
  fetch(): Promise<ApiResult<SessionList>>;
  /** Whether a list may be shown now (signed in). */
  active(): boolean;
  /** A failure that ended the session (401): handled by the owner; true when it was one. */
  ended(failure: ApiFailure): boolean;
  changed(): void;
  timers?: Timers;
  debounceMs?: number;
}

/**
 * `refresh()` fetches now; `refreshSoon()` collapses a burst (a connect and the push it causes,
 * sign-out everywhere ending many sessions) into one request. `clear()` forgets the list and any
 * answer in flight, so nothing of an ended session comes back.
 * @example const feed = new SessionsFeed({ fetch: api.sessions, active, ended, changed }); feed.refreshSoon();
 */
export class SessionsFeed {
  sessions: SessionListItem[] | null = null;
  error: string | null = null;

  readonly #o: SessionsFeedOptions;
  readonly #timers: Timers;
  #epoch = 0;
  #timer: unknown = null;

  constructor(options: SessionsFeedOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  async refresh(): Promise<void> {
    if (!this.#o.active()) return;
    const epoch = ++this.#epoch;
    const res = await this.#o.fetch();
    if (epoch !== this.#epoch || !this.#o.active()) return;
    if (res.ok) {
      this.sessions = res.data.sessions;
      this.error = null;
    } else if (!this.#o.ended(res)) {
      this.error = actionFailureMessage('load your sessions', res);
    }
    this.#o.changed();
  }

  /** A refetch soon: one for a burst of calls. */
  refreshSoon(): void {
    if (this.#timer !== null) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      void this.refresh();
    }, this.#o.debounceMs ?? 150);
  }

  clear(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#epoch += 1;
    this.sessions = null;
    this.error = null;
  }
}
