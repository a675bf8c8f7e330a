// The "Confirm your password" dialog of step-up: shown while StepUp is open, modal, named by its heading.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { base, tokens } from './styles.js';
import type { StepUp } from './step-up.js';

/**
 * A native `<dialog>` opened with showModal(): focus moves into it, Escape cancels (the act then
 * fails with the server's message), and the page behind is inert.
 * @example html`<tether-step-up-dialog .stepUp=${controller.stepUp}></tether-step-up-dialog>`
 */
@customElement('tether-step-up-dialog')
export class StepUpDialog extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      dialog {
        border: 1px solid var(--line);
        border-radius: 12px;
        background: var(--card);
        color: var(--fg);
        padding: 1.25rem 1.5rem;
        max-width: 26rem;
        width: calc(100% - 2rem);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 45%);
      }
    `,
  ];

  @property({ attribute: false }) stepUp: StepUp | null = null;
  #off: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#off = this.stepUp?.subscribe(() => this.requestUpdate()) ?? null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#off?.();
    this.#off = null;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('stepUp')) return;
    this.#off?.();
    this.#off = this.stepUp?.subscribe(() => this.requestUpdate()) ?? null;
  }

  override render() {
    const s = this.stepUp;
    return html`<dialog aria-labelledby="step-up-heading" @cancel=${() => s?.cancel()}>
      <h2 id="step-up-heading">Confirm your password</h2>
      <p class="muted">This needs a recent sign-in. Enter your password to continue.</p>
      ${s?.error ? html`<p role="alert" class="alert">${s.error}</p>` : nothing}
      <form novalidate @submit=${this.#onSubmit}>
        <div class="field">
          <label for="step-up-password">Password</label>
          <input id="step-up-password" type="password" autocomplete="current-password" maxlength="256" />
        </div>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${s?.busy ?? false}>Confirm</button>
          <button type="button" @click=${() => s?.cancel()}>Cancel</button>
        </div>
      </form>
    </dialog>`;
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return;
    if (this.stepUp?.open && !dialog.open) {
      const input = this.renderRoot.querySelector<HTMLInputElement>('#step-up-password');
      if (input) input.value = '';
      dialog.showModal();
      input?.focus();
    } else if (!this.stepUp?.open && dialog.open) dialog.close();
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#step-up-password');
    if (input?.value) void this.stepUp?.confirm(input.value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-step-up-dialog': StepUpDialog;
  }
}
