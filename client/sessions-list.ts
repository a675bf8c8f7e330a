// "Your sessions": one row per signed-in session of this user, the current one marked, the others revocable, and "Sign out everywhere".
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SessionListItem } from '../shared/api.js';
import type { ApiFailure } from './api.js';
import { formatClock, liveTabs } from './format.js';
import { actionFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';
import { browserName } from './user-agent.js';

export type Revoke = (id: string) => Promise<ApiFailure | null>;
export type SignOutEverywhere = () => Promise<ApiFailure | null>;

/**
 * The list is `<ul role="list">` (a styled list loses its role in Safari without it), named by its
 * heading. Each "Revoke" is described by its row, so "Revoke" alone is enough for its name.
 * @example html`<tether-sessions-list .sessions=${list} .revoke=${(id) => controller.revoke(id)}></tether-sessions-list>`
 */
@customElement('tether-sessions-list')
export class SessionsList extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.75rem 0.9rem;
        border: 1px solid var(--line);
        border-radius: 8px;
      }
      li[aria-current='true'] {
        border-color: color-mix(in srgb, var(--accent) 55%, var(--line));
        background: color-mix(in srgb, var(--accent) 6%, var(--card));
      }
      .name {
        font-weight: 600;
      }
      .badge {
        display: inline-block;
        margin-left: 0.5rem;
        padding: 0 0.5rem;
        border-radius: 999px;
        font-size: 0.8rem;
        font-weight: 600;
        color: var(--accent-fg);
        background: var(--accent);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 0 0.9rem;
        margin: 0.15rem 0 0;
        padding: 0;
      }
      .meta span {
        white-space: nowrap;
      }
    `,
  ];

  @property({ attribute: false }) sessions: readonly SessionListItem[] | null = null;
  /** Why the list could not be loaded, if it could not. */
  @property({ attribute: false }) error: string | null = null;
  @property({ attribute: false }) revoke: Revoke | null = null;
  @property({ attribute: false }) signOutEverywhere: SignOutEverywhere | null = null;

  @state() private revoking = new Set<string>();
  @state() private revokeError: string | null = null;
  @state() private leaving = false;

  override render() {
    const now = Date.now();
    return html`
      <section class="card" role="region" aria-labelledby="sessions-heading">
        <div class="panel-head">
          <h2 id="sessions-heading">Your sessions</h2>
          <button class="danger" ?disabled=${this.leaving} @click=${() => this.#signOutEverywhere()}>Sign out everywhere</button>
        </div>
        ${this.error ? html`<p role="alert" class="alert">${this.error}</p>` : nothing}
        ${this.revokeError ? html`<p role="alert" class="alert">${this.revokeError}</p>` : nothing}
        ${this.sessions === null
          ? html`<p class="muted">Loading your sessions…</p>`
          : html`<ul role="list" aria-labelledby="sessions-heading">
              ${this.sessions.map((s) => this.#row(s, now))}
            </ul>`}
      </section>
    `;
  }

  #row(s: SessionListItem, now: number) {
    const describedBy = `session-${s.id}`;
    return html`<li aria-current=${s.current ? 'true' : nothing}>
      <div id=${describedBy}>
        <div><span class="name">${browserName(s.userAgent)}</span>${s.current ? html`<span class="badge">This browser</span>` : nothing}</div>
        <p class="meta muted">
          <span>IP ${s.ip || 'unknown'}</span>
          <span>Signed in ${formatClock(s.createdAt, now)}</span>
          <span>Last active ${formatClock(s.lastSeenAt, now)}</span>
          <span>${liveTabs(s.sockets)}</span>
        </p>
      </div>
      ${s.current
        ? nothing
        : html`<button class="danger" aria-describedby=${describedBy} ?disabled=${this.revoking.has(s.id)} @click=${() => this.#revoke(s.id)}>Revoke</button>`}
    </li>`;
  }

  async #signOutEverywhere(): Promise<void> {
    if (!this.signOutEverywhere || this.leaving) return;
    this.leaving = true;
    this.revokeError = null;
    try {
      const failure = await this.signOutEverywhere();
      if (failure) this.revokeError = actionFailureMessage('sign out everywhere', failure);
    } finally {
      this.leaving = false;
    }
  }

  async #revoke(id: string): Promise<void> {
    if (!this.revoke || this.revoking.has(id)) return;
    this.revoking = new Set([...this.revoking, id]);
    this.revokeError = null;
    try {
      const failure = await this.revoke(id);
      if (failure) this.revokeError = actionFailureMessage('revoke that session', failure);
    } finally {
      const next = new Set(this.revoking);
      next.delete(id);
      this.revoking = next;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-sessions-list': SessionsList;
  }
}
