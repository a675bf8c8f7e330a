// "Server status": the serving node's sockets, sessions, event-loop delay and memory, pushed every 2 s.
import { LitElement, html, css } from 'lit';
import { customElement } from 'lit/decorators.js';
import { formatTimeOfDay, formatUptime } from './format.js';
import { statusSchemas } from '../shared/views/status.js';
import { LiveViewController } from './toolkit/index.js';
import { liveBadge } from './live-badge.js';
import { base, tokens } from './styles.js';

const mb = (value: number): string => `${value.toFixed(1)} MB`;

/**
 * @example html`<tether-status-panel></tether-status-panel>`
 */
@customElement('tether-status-panel')
export class StatusPanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      dl {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.9rem 1rem;
        margin: 0 0 0.9rem;
      }
      dt {
        font-size: 0.85rem;
        color: var(--muted);
      }
      dd {
        margin: 0;
        font-size: 1.35rem;
        font-weight: 700;
        line-height: 1.2;
      }
      .updated {
        margin: 0;
      }
    `,
  ];

  readonly #status = new LiveViewController(this, statusSchemas);

  override render() {
    const s = this.#status.state;
    return html`
      <section class="card" role="region" aria-labelledby="status-heading">
        <div class="panel-head"><h2 id="status-heading">Server status</h2>${liveBadge(this.#status.live)}</div>
        ${s === null
          ? html`<p class="muted">Loading…</p>`
          : html`<dl class="numeric">
                <div><dt>Connected sockets</dt><dd>${s.sockets}</dd></div>
                <div><dt>Active sessions</dt><dd>${s.sessions}</dd></div>
                <div><dt>Event-loop delay (p99)</dt><dd>${s.eventLoopDelayMs.toFixed(1)} ms</dd></div>
                <div><dt>Heap used</dt><dd>${mb(s.heapUsedMb)}</dd></div>
                <div><dt>Resident memory</dt><dd>${mb(s.rssMb)}</dd></div>
                <div><dt>Uptime</dt><dd>${formatUptime(s.uptimeS)}</dd></div>
              </dl>
              <p class="updated muted numeric">Updated ${formatTimeOfDay(s.at)}, every 2 seconds, by the server this tab is connected to.</p>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-status-panel': StatusPanel;
  }
}
