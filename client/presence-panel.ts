// "Who's online": every user with a dashboard tab open (on any node), with how many tabs, live.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { tabsCount } from './format.js';
import { presenceSchemas } from '../shared/views/presence.js';
import { LiveViewController } from './toolkit/index.js';
import { liveBadge } from './live-badge.js';
import { base, tokens } from './styles.js';

/** A stable colour per name, from a handful of classes (the CSP allows no inline styles). */
const hue = (name: string): number => [...name].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 6;

/**
 * @example html`<tether-presence-panel .userId=${user.id}></tether-presence-panel>`
 */
@customElement('tether-presence-panel')
export class PresencePanel extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        align-items: center;
        gap: 0.65rem;
      }
      .avatar {
        flex: none;
        display: grid;
        place-items: center;
        width: 2rem;
        height: 2rem;
        border-radius: 50%;
        font-weight: 700;
        color: #fff;
      }
      .h0 { background: #2456d6; }
      .h1 { background: #0f7b6c; }
      .h2 { background: #a23fb3; }
      .h3 { background: #c2410c; }
      .h4 { background: #4d6b12; }
      .h5 { background: #b4235a; }
      .name {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .tabs {
        margin-left: auto;
        white-space: nowrap;
      }
      .note {
        margin: 1rem 0 0;
      }
    `,
  ];

  /** Marks this user's own row. */
  @property({ attribute: false }) userId: string | null = null;

  readonly #presence = new LiveViewController(this, presenceSchemas);

  override render() {
    const state = this.#presence.state;
    return html`
      <section class="card" role="region" aria-labelledby="presence-heading">
        <div class="panel-head"><h2 id="presence-heading">Who's online</h2>${liveBadge(this.#presence.live)}</div>
        ${state === null
          ? html`<p class="muted">Loading…</p>`
          : html`<ul role="list" aria-labelledby="presence-heading">
              ${state.online.map(
                (u) => html`<li>
                  <span class="avatar h${hue(u.username)}" aria-hidden="true">${u.username.charAt(0).toUpperCase()}</span>
                  <span class="name">${u.username}${u.userId === this.userId ? html` <span class="muted">(you)</span>` : nothing}</span>
                  <span class="tabs muted">${tabsCount(u.tabs)}</span>
                </li>`,
              )}
            </ul>`}
        <p class="muted note">Everyone with the dashboard open, on every server.</p>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-presence-panel': PresencePanel;
  }
}
