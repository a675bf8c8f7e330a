// "Recent activity": the account's history, newest first, updated live (refetched after each `activity:changed`).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AccountFeed } from './account-feed.js';
import { FeedSubscription } from './feed-subscription.js';
import { activitySentence } from './activity-text.js';
import { formatClock } from './format.js';
import { base, tokens } from './styles.js';
import { browserName } from './user-agent.js';

/**
 * @example html`<tether-activity-panel .feed=${controller.account}></tether-activity-panel>`
 */
@customElement('tether-activity-panel')
export class ActivityPanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      ol {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
        display: grid;
        gap: 0.45rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0 1rem;
        padding: 0.45rem 0;
        border-bottom: 1px solid var(--line);
      }
      .what {
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) feed: AccountFeed | null = null;

  constructor() {
    super();
    // The first page is fetched when a feed arrives that has none yet.
    new FeedSubscription(this, (feed) => {
      if (feed.activity === null) void feed.refresh();
    });
  }

  override render() {
    const feed = this.feed;
    const items = feed?.activity ?? null;
    const now = Date.now();
    return html`<section class="card" role="region" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Recent activity</h2>
      ${feed?.error ? html`<p role="alert" class="alert">${feed.error}</p>` : nothing}
      ${items === null
        ? html`<p class="muted">Loading your activity…</p>`
        : items.length === 0
          ? html`<p class="muted">Nothing yet.</p>`
          : html`<ol aria-labelledby="activity-heading">
              ${items.map(
                (i) => html`<li>
                  <span class="what">${activitySentence(i)}</span>
                  <span class="muted">${formatClock(i.at, now)} · ${i.userAgent ? browserName(i.userAgent) : 'unknown browser'} · IP ${i.ip || 'unknown'}</span>
                </li>`,
              )}
            </ol>`}
      ${feed?.next ? html`<button @click=${() => void feed.more()}>Show older</button>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-activity-panel': ActivityPanel;
  }
}
