// The signed-in view: who you are, the session clock, sign-out buttons, your sessions, the password form.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PasswordChangeBody, SessionListItem, User } from '../shared/api.js';
import type { Deadlines } from '../shared/events.js';
import type { ApiFailure } from './api.js';
import { actionFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';
import './expiry-warning.js';
import './password-form.js';
import './sessions-list.js';

/** What the view asks of the session (the SessionController has all of it). */
export interface AccountActions {
  signOut(everywhere?: boolean): Promise<ApiFailure | null>;
  revoke(id: string): Promise<ApiFailure | null>;
  changePassword(body: PasswordChangeBody): Promise<ApiFailure | null>;
  stayActive(): void;
  deadlinePassed(): void;
}

/**
 * @example html`<tether-account .user=${user} .sessions=${list} .actions=${controller}></tether-account>`
 */
@customElement('tether-account')
export class AccountView extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: grid;
        gap: var(--gap);
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem 1.5rem;
        align-items: flex-start;
        justify-content: space-between;
      }
      .who h1 {
        margin-bottom: 0.25rem;
        overflow-wrap: anywhere;
      }
      .notice {
        margin: 0.75rem 0 0;
      }
    `,
  ];

  @property({ attribute: false }) user: User | null = null;
  @property({ attribute: false }) deadlines: Deadlines | null = null;
  @property({ type: Number }) idleTimeoutMs = 1_800_000;
  @property({ type: Number }) skewMs = 0;
  @property({ attribute: false }) sessions: readonly SessionListItem[] | null = null;
  @property({ attribute: false }) sessionsError: string | null = null;
  /** Why live updates are off, if they are. */
  @property({ attribute: false }) liveNotice: string | null = null;
  @property({ attribute: false }) actions: AccountActions | null = null;

  @state() private busy = false;
  @state() private error: string | null = null;

  override render() {
    const actions = this.actions;
    if (!this.user || !actions) return nothing;
    return html`
      <section class="card" aria-labelledby="who-heading">
        <div class="who">
          <div>
            <h1 id="who-heading">Signed in as ${this.user.username}</h1>
            <tether-expiry-warning
              .deadlines=${this.deadlines}
              .idleTimeoutMs=${this.idleTimeoutMs}
              .skewMs=${this.skewMs}
              .stay=${() => actions.stayActive()}
              .passed=${() => actions.deadlinePassed()}
            ></tether-expiry-warning>
          </div>
          <div class="actions">
            <button class="primary" ?disabled=${this.busy} @click=${() => this.#signOut(false)}>Sign out</button>
            <button class="danger" ?disabled=${this.busy} @click=${() => this.#signOut(true)}>Sign out everywhere</button>
          </div>
        </div>
        ${this.error ? html`<p role="alert" class="alert notice">${this.error}</p>` : nothing}
        ${this.liveNotice ? html`<p class="muted notice">${this.liveNotice}</p>` : nothing}
      </section>
      <tether-sessions-list .sessions=${this.sessions} .error=${this.sessionsError} .revoke=${(id: string) => actions.revoke(id)}></tether-sessions-list>
      <tether-password-form .username=${this.user.username} .changePassword=${(body: PasswordChangeBody) => actions.changePassword(body)}></tether-password-form>
    `;
  }

  async #signOut(everywhere: boolean): Promise<void> {
    if (this.busy || !this.actions) return;
    this.busy = true;
    this.error = null;
    try {
      const failure = await this.actions.signOut(everywhere);
      if (failure) this.error = actionFailureMessage(everywhere ? 'sign out everywhere' : 'sign out', failure);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-account': AccountView;
  }
}
