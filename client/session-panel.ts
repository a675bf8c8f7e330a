// The session clock: when this session expires (idle and absolute), moving with activity, and its warning.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Deadlines } from '../shared/events.js';
import { formatClock } from './format.js';
import { base, tokens } from './styles.js';
import './expiry-warning.js';

/**
 * @example html`<tether-session-panel .deadlines=${d} .idleTimeoutMs=${ms} .stay=${() => c.stayActive()} .passed=${() => c.deadlinePassed()}></tether-session-panel>`
 */
@customElement('tether-session-panel')
export class SessionPanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.9rem 2.5rem;
        margin: 0 0 0.9rem;
      }
      dt {
        font-size: 0.85rem;
        color: var(--muted);
      }
      dd {
        margin: 0;
        font-size: 1.6rem;
        font-weight: 700;
        line-height: 1.2;
      }
      .note {
        margin: 0;
      }
    `,
  ];

  @property({ attribute: false }) deadlines: Deadlines | null = null;
  @property({ type: Number }) idleTimeoutMs = 1_800_000;
  /** Server clock minus local clock. */
  @property({ type: Number }) skewMs = 0;
  @property({ attribute: false }) stay: (() => void) | null = null;
  @property({ attribute: false }) passed: (() => void) | null = null;

  override render() {
    const d = this.deadlines;
    const now = Date.now();
    const at = (ms: number): string => formatClock(ms - this.skewMs, now);
    return html`
      <section class="card" role="region" aria-labelledby="clock-heading">
        <div class="panel-head"><h2 id="clock-heading">Session clock</h2></div>
        ${d
          ? html`<dl class="numeric">
                <div><dt>Expires if idle at</dt><dd>${at(d.idleExpiresAt)}</dd></div>
                <div><dt>Time limit</dt><dd>${at(d.absoluteExpiresAt)}</dd></div>
              </dl>
              <p class="muted note">Activity in any tab of this session moves the idle expiry. The time limit never moves.</p>`
          : nothing}
        <tether-expiry-warning .deadlines=${d} .idleTimeoutMs=${this.idleTimeoutMs} .skewMs=${this.skewMs} .stay=${this.stay} .passed=${this.passed}></tether-expiry-warning>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-session-panel': SessionPanel;
  }
}
