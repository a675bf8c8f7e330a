// The "Change password" form: current and new password; success in role="status", errors in role="alert".
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PasswordChangeBody } from '../shared/api.js';
import type { ApiFailure } from './api.js';
import { passwordFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';

export type ChangePassword = (body: PasswordChangeBody) => Promise<ApiFailure | null>;

/**
 * @example html`<tether-password-form .changePassword=${(b) => controller.changePassword(b)}></tether-password-form>`
 */
@customElement('tether-password-form')
export class PasswordForm extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      /* Side by side when there is room: two fields and the button on one line. */
      form {
        display: grid;
        gap: 0 1rem;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        align-items: start;
      }
      @media (min-width: 44rem) {
        form .actions {
          margin-top: 1.75rem;
        }
      }
    `,
  ];

  /** Whose password it is, for password managers. */
  @property({ type: String }) username = '';
  @property({ attribute: false }) changePassword: ChangePassword | null = null;

  @state() private busy = false;
  @state() private error: string | null = null;
  @state() private done: string | null = null;

  override render() {
    return html`
      <section class="card" role="region" aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <p class="muted">Changing it signs out every other session of yours. This one stays signed in.</p>
        ${this.done ? html`<p role="status" class="status">${this.done}</p>` : nothing}
        ${this.error ? html`<p role="alert" class="alert">${this.error}</p>` : nothing}
        <form novalidate @submit=${this.#onSubmit}>
          <!-- Tells password managers whose password this is (hidden from everyone else). -->
          <input type="text" name="username" autocomplete="username" .value=${this.username} hidden readonly tabindex="-1" aria-hidden="true" />
          <div class="field">
            <label for="current-password">Current password</label>
            <input id="current-password" type="password" autocomplete="current-password" maxlength="256" />
          </div>
          <div class="field">
            <label for="new-password">New password</label>
            <input id="new-password" type="password" autocomplete="new-password" maxlength="256" aria-describedby="new-password-hint" />
            <span id="new-password-hint" class="muted">At least 8 characters.</span>
          </div>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this.busy}>Change password</button>
          </div>
        </form>
      </section>
    `;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.changePassword) return;
    const current = this.renderRoot.querySelector<HTMLInputElement>('#current-password');
    const next = this.renderRoot.querySelector<HTMLInputElement>('#new-password');
    if (!current?.value || !next?.value) {
      this.done = null;
      this.error = 'Enter your current password and a new one.';
      return;
    }
    this.busy = true;
    this.error = null;
    this.done = null;
    try {
      const failure = await this.changePassword({ currentPassword: current.value, newPassword: next.value });
      if (failure) {
        this.error = passwordFailureMessage(failure);
      } else {
        this.done = 'Password changed. Your other sessions were signed out.';
        current.value = '';
        next.value = '';
      }
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-password-form': PasswordForm;
  }
}
