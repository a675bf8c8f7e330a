// "New sign-in": a role="status" notice per session of this user that just signed in elsewhere, with "Not you? Revoke".
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AccountFeed } from './account-feed.js';
import { FeedSubscription } from './feed-subscription.js';
import type { ApiFailure } from './api.js';
import { formatClock } from './format.js';
import { actionFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';
import { browserName } from './user-agent.js';

/**
 * The status region is always in the page (a live region must exist before its text arrives).
 * "Not you? Revoke" acts at once, without a dialog; each button is described by its notice.
 * @example html`<tether-sign-in-notices .feed=${controller.account} .revoke=${(id) => controller.revoke(id)}></tether-sign-in-notices>`
 */
@customElement('tether-sign-in-notices')
export class SignInNotices extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .notice {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1rem;
        align-items: center;
        justify-content: space-between;
        margin-bottom: 0.75rem;
      }
      .notice p {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) feed: AccountFeed | null = null;
  @property({ attribute: false }) revoke: ((id: string) => Promise<ApiFailure | null>) | null = null;

  @state() private done: string | null = null;
  @state() private error: string | null = null;

  constructor() {
    super();
    new FeedSubscription(this);
  }

  override render() {
    const notices = this.feed?.notices ?? [];
    const now = Date.now();
    return html`<div role="status">
      ${notices.map(
        (n) => html`<div class="status neutral notice">
          <p id="notice-${n.id}"><strong>New sign-in:</strong> ${browserName(n.userAgent)}, IP ${n.ip || 'unknown'}, at ${formatClock(n.at, now)}.</p>
          <div class="actions">
            <button class="danger" aria-describedby="notice-${n.id}" @click=${() => this.#revoke(n.id)}>Not you? Revoke</button>
            <button aria-describedby="notice-${n.id}" @click=${() => this.feed?.dismiss(n.id)}>Dismiss</button>
          </div>
        </div>`,
      )}
      ${this.done && notices.length === 0 ? html`<p class="status">${this.done}</p>` : nothing}
    </div>
    ${this.error ? html`<p role="alert" class="alert">${this.error}</p>` : nothing}`;
  }

  async #revoke(id: string): Promise<void> {
    if (!this.revoke) return;
    this.error = null;
    const failure = await this.revoke(id);
    if (failure) {
      this.error = actionFailureMessage('revoke that session', failure);
      return;
    }
    this.done = 'That session was revoked.';
    this.feed?.dismiss(id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-sign-in-notices': SignInNotices;
  }
}
