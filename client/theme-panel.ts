// "Theme": System, Light or Dark, written into the session, so every tab of it follows at once.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { prefsSchemas, type Theme } from '../shared/views/prefs.js';
import { LiveViewController } from './toolkit/index.js';
import { liveBadge } from './live-badge.js';
import { asSentence } from './messages.js';
import { base, tokens } from './styles.js';

/** One label per theme of shared/views/prefs.ts (a theme added there is a compile error here). */
const LABELS: { readonly [T in Theme]: string } = { system: 'System', light: 'Light', dark: 'Dark' };
const CHOICES = Object.entries(LABELS) as Array<[Theme, string]>;

/**
 * A radio group named by the panel's heading. The page applies the theme (see app.ts); this panel
 * only asks for it, and shows what the session says.
 * @example html`<tether-theme-panel .fallback=${session.theme}></tether-theme-panel>`
 */
@customElement('tether-theme-panel')
export class ThemePanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .choices {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.25rem;
        padding: 0.25rem;
        border: 1px solid var(--line);
        border-radius: 10px;
        background: var(--bg);
      }
      label {
        position: relative;
        padding: 0.4rem 0.95rem;
        border-radius: 7px;
        cursor: pointer;
        font-weight: 600;
        color: var(--muted);
      }
      /* The native radio stays in place for keyboards and screen readers, drawn by its label. */
      input {
        position: absolute;
        inset: 0;
        opacity: 0;
        margin: 0;
        cursor: pointer;
      }
      label:has(input:checked) {
        background: var(--card);
        color: var(--fg);
        box-shadow: 0 1px 3px rgb(0 0 0 / 0.15);
      }
      label:has(input:focus-visible) {
        outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent);
        outline-offset: 1px;
      }
      .hint {
        margin: 0.9rem 0 0;
      }
    `,
  ];

  /** The theme /api/session gave, shown until the live view answers. */
  @property({ attribute: false }) fallback: Theme = 'system';

  readonly #prefs = new LiveViewController(this, prefsSchemas);
  @state() private error: string | null = null;

  override render() {
    const current = this.#prefs.state?.theme ?? this.fallback;
    return html`
      <section class="card" role="region" aria-labelledby="theme-heading">
        <div class="panel-head"><h2 id="theme-heading">Theme</h2>${liveBadge(this.#prefs.live)}</div>
        <div class="choices" role="radiogroup" aria-labelledby="theme-heading">
          ${CHOICES.map(
            ([value, label]) => html`<label>
              <input type="radio" name="theme" .value=${value} .checked=${live(current === value)} ?disabled=${!this.#prefs.live} @change=${() => this.#choose(value)} />
              ${label}
            </label>`,
          )}
        </div>
        ${this.error ? html`<p role="alert" class="alert hint">${this.error}</p>` : nothing}
        <p class="hint muted">Saved in this session: its other tabs follow at once.</p>
      </section>
    `;
  }

  async #choose(theme: Theme): Promise<void> {
    const ack = await this.#prefs.send('setTheme', { theme });
    this.error = ack.ok ? null : `Could not change the theme. ${asSentence(ack.error.message)}`;
    // A refused change puts the radios back to what the session says.
    if (!ack.ok) this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-theme-panel': ThemePanel;
  }
}
