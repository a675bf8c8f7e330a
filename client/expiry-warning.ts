// The session clock's warning: "Stay signed in" shortly before idle expiry, a notice before the time limit.
import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Deadlines } from '../shared/events.js';
import { expiryPhase, nextPhaseChangeAt, secondsLeft } from './toolkit/index.js';
import { formatClock, formatCountdown } from './format.js';
import { base, tokens } from './styles.js';

/** After the deadline, how long to wait for the server's own `session:ended` before asking. */
const PAST_GRACE_MS = 2000;
/** setTimeout's ceiling (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs on local timers only (never a request): it re-renders when the phase changes and once a
 * second while a warning counts down. The server ends the session by itself; `passed` is for a
 * tab whose socket is down and so would not hear it.
 * @example html`<tether-expiry-warning .deadlines=${d} .idleTimeoutMs=${ms} .stay=${() => c.stayActive()}></tether-expiry-warning>`
 */
@customElement('tether-expiry-warning')
export class ExpiryWarning extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .clock {
        margin: 0;
      }
      .warning {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem 1rem;
        align-items: center;
        justify-content: space-between;
        margin-top: 0.75rem;
        padding: 0.75rem 0.9rem;
        border: 1px solid var(--warn-line);
        background: var(--warn-bg);
        border-radius: 8px;
      }
      .warning p {
        margin: 0;
      }
      .countdown {
        font-variant-numeric: tabular-nums;
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) deadlines: Deadlines | null = null;
  @property({ type: Number }) idleTimeoutMs = 1_800_000;
  /** Server clock minus local clock. */
  @property({ type: Number }) skewMs = 0;
  @property({ attribute: false }) stay: (() => void) | null = null;
  @property({ attribute: false }) passed: (() => void) | null = null;

  #timer: ReturnType<typeof setTimeout> | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-arm after being moved in the DOM: a render alone does not happen then.
    if (this.hasUpdated) this.requestUpdate();
  }

  #now(): number {
    return Date.now() + this.skewMs;
  }

  override render() {
    if (!this.deadlines) return html`<p class="clock muted">Session clock: waiting for the server…</p>`;
    const now = this.#now();
    const phase = expiryPhase(now, this.deadlines, this.idleTimeoutMs);
    const at = formatClock(phase.endsAt - this.skewMs, now - this.skewMs);
    return html`
      ${phase.kind === 'past' ? html`<p class="clock muted">This session has expired.</p>` : nothing}
      ${phase.kind === 'idle-warning'
        ? html`<div class="warning">
            <p role="alert">You will be signed out at ${at} because of inactivity.</p>
            <span class="countdown" aria-hidden="true">${formatCountdown(secondsLeft(now, phase.endsAt))}</span>
            <button class="primary" @click=${() => this.stay?.()}>Stay signed in</button>
          </div>`
        : nothing}
      ${phase.kind === 'absolute-warning'
        ? html`<div class="warning">
            <p role="alert">This session reaches its time limit at ${at}. You will need to sign in again.</p>
            <span class="countdown" aria-hidden="true">${formatCountdown(secondsLeft(now, phase.endsAt))}</span>
          </div>`
        : nothing}
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#schedule();
  }

  #schedule(): void {
    this.#clear();
    if (!this.deadlines || !this.isConnected) return;
    const now = this.#now();
    const phase = expiryPhase(now, this.deadlines, this.idleTimeoutMs);
    if (phase.kind === 'past') {
      const wait = phase.endsAt + PAST_GRACE_MS - now;
      this.#timer = setTimeout(() => this.passed?.(), Math.max(0, wait));
      return;
    }
    // Tick each second while a countdown shows; otherwise sleep until the phase changes.
    const next = nextPhaseChangeAt(phase) ?? now;
    const ms = phase.kind === 'ok' ? next - now : Math.min(1000 - (now % 1000) || 1000, next - now);
    this.#timer = setTimeout(() => this.requestUpdate(), Math.min(MAX_TIMER_MS, Math.max(0, ms) + 5));
  }

  #clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-expiry-warning': ExpiryWarning;
  }
}
