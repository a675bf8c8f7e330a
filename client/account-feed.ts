// What the page knows of the account's recent events: new sign-in notices (pushed) and the activity history (fetched after pushes).
import type { ActivityItem, SignInNotice } from '../shared/account.js';
import type { ApiResult } from './api.js';
import type { ActivityPage } from '../shared/account.js';
import { signInNoticeSchema } from './account-wire.js';

type Listener = () => void;

/**
 * Fed by the live socket (`sessions:signed-in`, `activity:changed`, a connect); cleared when the
 * session ends, so nothing of it stays on screen. Panels subscribe and render from its fields.
 * @example const feed = new AccountFeed((before) => api.activity(before)); feed.subscribe(() => host.requestUpdate());
 */
export class AccountFeed {
  /** Newest first; at most a few (a burst of sign-ins should not fill the page). */
  notices: SignInNotice[] = [];
  activity: ActivityItem[] | null = null;
  next: string | null = null;
  error: string | null = null;

  readonly #fetch: (before?: string) => Promise<ApiResult<ActivityPage>>;
  readonly #listeners = new Set<Listener>();
  #generation = 0;

  constructor(fetchPage: (before?: string) => Promise<ApiResult<ActivityPage>>) {
    this.#fetch = fetchPage;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The events the live binding reports (see LiveBindingEvents). */
  liveEvents(): { signedIn(payload: unknown): void; activityChanged(): void } {
    return { signedIn: (payload) => this.signedIn(payload), activityChanged: () => void this.refresh() };
  }

  /** A `sessions:signed-in` push; a malformed one is dropped. */
  signedIn(payload: unknown): void {
    const parsed = signInNoticeSchema.safeParse(payload);
    if (!parsed.success) return;
    this.notices = [parsed.data, ...this.notices.filter((n) => n.id !== parsed.data.id)].slice(0, 3);
    this.#changed();
  }

  dismiss(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.#changed();
  }

  /** Refetches the first page (answers of an older fetch, or of a session that ended, are dropped). */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    const res = await this.#fetch();
    if (generation !== this.#generation) return;
    if (res.ok) Object.assign(this, { activity: res.data.items, next: res.data.next, error: null });
    else if (res.status !== 401) this.error = 'Your recent activity could not be loaded.';
    this.#changed();
  }

  /** "Show older": appends the next page. */
  async more(): Promise<void> {
    if (!this.next) return;
    const generation = this.#generation;
    const res = await this.#fetch(this.next);
    if (generation !== this.#generation || !res.ok) return;
    this.activity = [...(this.activity ?? []), ...res.data.items];
    this.next = res.data.next;
    this.#changed();
  }

  clear(): void {
    this.#generation += 1;
    Object.assign(this, { notices: [], activity: null, next: null, error: null });
    this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
