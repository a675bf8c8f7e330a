// The signed-in view: who you are and "Sign out", then the panels (clock, theme, counter, presence, status, sessions, password).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PasswordChangeBody, SessionListItem, User } from '../shared/api.js';
import type { Deadlines } from '../shared/events.js';
import type { Theme } from '../shared/views/prefs.js';
import type { ApiFailure } from './api.js';
import { actionFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';
import type { AccountFeed } from './account-feed.js';
import type { StepUp } from './step-up.js';
import './activity-panel.js';
import './board-panel.js';
import './sign-in-notices.js';
import './step-up-dialog.js';
import './password-form.js';
import './presence-panel.js';
import './session-panel.js';
import './sessions-list.js';
import './status-panel.js';
import './theme-panel.js';

/** What the view asks of the session (the SessionController has all of it). */
export interface AccountActions {
  signOut(everywhere?: boolean): Promise<ApiFailure | null>;
  revoke(id: string): Promise<ApiFailure | null>;
  changePassword(body: PasswordChangeBody): Promise<ApiFailure | null>;
  stayActive(): void;
  deadlinePassed(): void;
}

/**
 * The session's own data comes in as properties (from the SessionController, through the page);
 * the live panels (counter, presence, status, theme) bind to their live views themselves.
 * @example html`<tether-dashboard .user=${user} .sessions=${list} .actions=${controller}></tether-dashboard>`
 */
@customElement('tether-dashboard')
export class Dashboard extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: center;
        justify-content: space-between;
        margin-bottom: 1.25rem;
      }
      .top h1 {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .top p {
        margin: 0.2rem 0 0;
      }
      .grid {
        display: grid;
        gap: var(--gap);
        grid-template-columns: minmax(0, 1fr);
      }
      @media (min-width: 44rem) {
        .grid {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
        .wide,
        .full {
          grid-column: 1 / -1;
        }
      }
      @media (min-width: 64rem) {
        .grid {
          grid-template-columns: repeat(3, minmax(0, 1fr));
        }
        .wide {
          grid-column: span 2;
        }
      }
    `,
  ];

  @property({ attribute: false }) user: User | null = null;
  @property({ attribute: false }) deadlines: Deadlines | null = null;
  @property({ type: Number }) idleTimeoutMs = 1_800_000;
  @property({ type: Number }) skewMs = 0;
  @property({ attribute: false }) sessions: readonly SessionListItem[] | null = null;
  @property({ attribute: false }) sessionsError: string | null = null;
  /** The session's theme from /api/session, until the live view says. */
  @property({ attribute: false }) theme: Theme = 'system';
  /** Why live updates are off, if they are. */
  @property({ attribute: false }) liveNotice: string | null = null;
  @property({ attribute: false }) actions: AccountActions | null = null;
  /** New sign-in notices and the activity history. */
  @property({ attribute: false }) account: AccountFeed | null = null;
  @property({ attribute: false }) stepUp: StepUp | null = null;

  @state() private busy = false;
  @state() private error: string | null = null;

  override render() {
    const actions = this.actions;
    if (!this.user || !actions) return nothing;
    return html`
      <div class="top">
        <div>
          <h1>Signed in as ${this.user.username}</h1>
          <p class="muted">Your account and every session signed in to it, live.</p>
        </div>
        <button class="primary" ?disabled=${this.busy} @click=${() => this.#signOut()}>Sign out</button>
      </div>
      ${this.error ? html`<p role="alert" class="alert">${this.error}</p>` : nothing}
      ${this.liveNotice ? html`<p class="alert">${this.liveNotice}</p>` : nothing}
      <tether-sign-in-notices .feed=${this.account} .revoke=${(id: string) => actions.revoke(id)}></tether-sign-in-notices>
      <tether-step-up-dialog .stepUp=${this.stepUp}></tether-step-up-dialog>
      <div class="grid">
        <tether-session-panel
          class="wide"
          .deadlines=${this.deadlines}
          .idleTimeoutMs=${this.idleTimeoutMs}
          .skewMs=${this.skewMs}
          .stay=${() => actions.stayActive()}
          .passed=${() => actions.deadlinePassed()}
        ></tether-session-panel>
        <tether-theme-panel .fallback=${this.theme}></tether-theme-panel>
        <tether-board-panel></tether-board-panel>
        <tether-presence-panel .userId=${this.user.id}></tether-presence-panel>
        <tether-status-panel></tether-status-panel>
        <tether-sessions-list
          class="full"
          .sessions=${this.sessions}
          .error=${this.sessionsError}
          .revoke=${(id: string) => actions.revoke(id)}
          .signOutEverywhere=${() => actions.signOut(true)}
        ></tether-sessions-list>
        <tether-activity-panel class="wide" .feed=${this.account}></tether-activity-panel>
        <tether-password-form .username=${this.user.username} .changePassword=${(body: PasswordChangeBody) => actions.changePassword(body)}></tether-password-form>
      </div>
    `;
  }

  async #signOut(): Promise<void> {
    if (this.busy || !this.actions) return;
    this.busy = true;
    this.error = null;
    try {
      const failure = await this.actions.signOut();
      if (failure) this.error = actionFailureMessage('sign out', failure);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-dashboard': Dashboard;
  }
}
