// The signed-out view: "Sign in" with a username and password, or "Create account" with the same fields.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { LoginBody } from '../shared/api.js';
import type { ApiFailure } from './api.js';
import { signInFailureMessage } from './messages.js';
import { base, tokens } from './styles.js';

export type SignIn = (action: 'login' | 'register', credentials: LoginBody) => Promise<ApiFailure | null>;

/**
 * The form stays usable the moment it shows: the token it needs is awaited by the API wrapper.
 * @example html`<tether-sign-in .notice=${'You signed out.'} .signIn=${(a, c) => controller.signIn(a, c)}></tether-sign-in>`
 */
@customElement('tether-sign-in')
export class SignInView extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .card {
        max-width: 26rem;
        margin: 0 auto;
      }
      .hint {
        margin: 0.25rem 0 1rem;
      }
    `,
  ];

  /** Why the last session ended, shown in a role="status" element. */
  @property({ attribute: false }) notice: string | null = null;
  @property({ attribute: false }) signIn: SignIn | null = null;

  @state() private busy: 'login' | 'register' | null = null;
  @state() private error: string | null = null;

  override render() {
    return html`
      <section class="card" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">Sign in</h1>
        ${this.notice ? html`<p role="status" class="status neutral">${this.notice}</p>` : nothing}
        ${this.error ? html`<p role="alert" class="alert">${this.error}</p>` : nothing}
        <form novalidate @submit=${this.#onSubmit}>
          <div class="field">
            <label for="username">Username</label>
            <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="256" />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" />
          </div>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this.busy !== null}>Sign in</button>
            <button type="button" ?disabled=${this.busy !== null} @click=${() => this.#send('register')}>Create account</button>
          </div>
          <p class="hint muted">New here? Choose a username of 3 to 32 letters, digits, dots, dashes or underscores and a password of at least 8 characters, then Create account.</p>
        </form>
      </section>
    `;
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.#send('login');
  }

  #field(id: string): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`);
  }

  async #send(action: 'login' | 'register'): Promise<void> {
    if (this.busy || !this.signIn) return;
    const username = this.#field('username')?.value.trim() ?? '';
    const password = this.#field('password')?.value ?? '';
    if (!username || !password) {
      this.error = 'Enter a username and a password.';
      return;
    }
    this.busy = action;
    this.error = null;
    try {
      const failure = await this.signIn(action, { username, password });
      if (failure) this.error = signInFailureMessage(action, failure);
      else this.#reset();
    } finally {
      this.busy = null;
    }
  }

  /** Nothing typed here outlives a sign-in (the view is reused after the next sign-out). */
  #reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.error = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-sign-in': SignInView;
  }
}
