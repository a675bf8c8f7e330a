// The small "Live" / "Connecting…" pill in a live panel's heading row.
import { html } from 'lit';

/**
 * @example html`<div class="panel-head"><h2>Server status</h2>${liveBadge(this.#status.live)}</div>`
 */
export const liveBadge = (live: boolean) => html`<span class="pill ${live ? 'live' : ''}">${live ? 'Live' : 'Connecting…'}</span>`;
