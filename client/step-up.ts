// Step-up on the page: a 403 reauthentication_required opens "Confirm your password"; the act is retried once it succeeds.
import type { ApiResult } from './api.js';
import type { Reauthenticated } from '../shared/account.js';
import { actionFailureMessage } from './messages.js';

type Listener = () => void;

/**
 * The API client calls `request()` (its `stepUp` option) and waits; the dialog renders from `open`
 * and `error` and calls `confirm(password)` or `cancel()`. Requests arriving while it is open share it.
 * @example const stepUp = new StepUp((password) => api.reauthenticate(password)); createApi({ …, stepUp: () => stepUp.request() });
 */
export class StepUp {
  open = false;
  error: string | null = null;
  busy = false;

  readonly #reauthenticate: (password: string) => Promise<ApiResult<Reauthenticated>>;
  readonly #listeners = new Set<Listener>();
  #waiting: Array<(confirmed: boolean) => void> = [];

  constructor(reauthenticate: (password: string) => Promise<ApiResult<Reauthenticated>>) {
    this.#reauthenticate = reauthenticate;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  request(): Promise<boolean> {
    this.open = true;
    this.error = null;
    this.#changed();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async confirm(password: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.#changed();
    const res = await this.#reauthenticate(password).finally(() => {
      this.busy = false;
    });
    if (!res.ok) {
      this.error = res.code === 'invalid_credentials' ? 'That password is wrong.' : actionFailureMessage('confirm your password', res);
      // A session that ended meanwhile: nothing to retry.
      if (res.status === 401 && res.code === 'unauthenticated') return this.#settle(false);
      return this.#changed();
    }
    this.#settle(true);
  }

  cancel(): void {
    if (this.open) this.#settle(false);
  }

  #settle(confirmed: boolean): void {
    this.open = false;
    if (confirmed) this.error = null;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve(confirmed);
    this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
