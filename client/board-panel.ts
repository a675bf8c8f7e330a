// The shared counter: one number every signed-in user sees change at once, and who changed it last.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { boardSchemas } from '../shared/views/board.js';
import { formatClock } from './format.js';
import { LiveViewController, type LiveEventAck, type LiveEventInput } from './toolkit/index.js';
import { liveBadge } from './live-badge.js';
import { asSentence } from './messages.js';
import { base, tokens } from './styles.js';

/**
 * @example html`<tether-board-panel></tether-board-panel>`
 */
@customElement('tether-board-panel')
export class BoardPanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .count {
        margin: 0.25rem 0 1rem;
        font-size: 3.25rem;
        font-weight: 800;
        line-height: 1;
        letter-spacing: -0.02em;
      }
      .actions button {
        min-width: 3.5rem;
      }
      .last {
        margin: 1rem 0 0;
      }
    `,
  ];

  readonly #board = new LiveViewController(this, boardSchemas);
  @state() private error: string | null = null;

  override render() {
    const b = this.#board.state;
    const disabled = !this.#board.live;
    return html`
      <section class="card" role="region" aria-labelledby="board-heading">
        <div class="panel-head"><h2 id="board-heading">Shared counter</h2>${liveBadge(this.#board.live)}</div>
        <p class="muted">Everyone signed in sees this number change at once.</p>
        <p class="count numeric" aria-live="polite">${b === null ? '–' : b.count}</p>
        <div class="actions">
          <button class="primary" ?disabled=${disabled} @click=${() => this.#bump({ by: 1 })}>+1</button>
          <button ?disabled=${disabled} @click=${() => this.#bump({ by: -1 })}>−1</button>
          <button ?disabled=${disabled} @click=${() => this.#reset()}>Reset</button>
        </div>
        ${this.error ? html`<p role="alert" class="alert last">${this.error}</p>` : nothing}
        <p class="last muted">${b?.lastBy && b.lastAt !== null ? `Last changed by ${b.lastBy} at ${formatClock(b.lastAt, Date.now())}.` : 'Nobody has changed it yet.'}</p>
      </section>
    `;
  }

  #bump(payload: LiveEventInput<typeof boardSchemas, 'bump'>): void {
    void this.#board.send('bump', payload).then((ack) => this.#show(ack));
  }

  #reset(): void {
    void this.#board.send('reset', {}).then((ack) => this.#show(ack));
  }

  #show(ack: LiveEventAck): void {
    this.error = ack.ok ? null : `Could not change the counter. ${asSentence(ack.error.message)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-board-panel': BoardPanel;
  }
}
