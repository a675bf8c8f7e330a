// <tether-app>: the page. Renders exactly one view for the session's phase, from the SessionController.
import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { customElement } from 'lit/decorators.js';
import { prefsSchemas, type Theme } from '../shared/views/prefs.js';
import { LiveViewController, provideLiveHub } from './toolkit/index.js';
import { SessionController } from './session-controller.js';
import { cachedTheme, rememberTheme } from './theme-cache.js';
import { base, tokens } from './styles.js';
import './dashboard.js';
import './sign-in-view.js';

/**
 * Decorators: tsconfig has `experimentalDecorators` and `useDefineForClassFields: false`, and
 * `vite build` (Oxc) compiles them as legacy decorators with fields assigned in the constructor,
 * which is what Lit's reactive accessors need (checked in dist/: `__decorate`-style calls, no
 * class-field defines).
 */
@customElement('tether-app')
export class TetherApp extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--bg);
      }
      header {
        background: var(--card);
        border-bottom: 1px solid var(--line);
      }
      .bar,
      main {
        max-width: 76rem;
        margin: 0 auto;
        padding: 0.75rem 1rem;
      }
      .brand {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        font-weight: 800;
        letter-spacing: 0.02em;
        font-size: 1.1rem;
      }
      .brand img {
        width: 1.5rem;
        height: 1.5rem;
      }
      main {
        padding-top: 1.5rem;
        padding-bottom: 3rem;
      }
      .loading {
        text-align: center;
        color: var(--muted);
        /* Only a slow answer shows it: a quick reload shows nothing at all. */
        animation: appear 0s linear 400ms both;
      }
      @keyframes appear {
        from {
          visibility: hidden;
        }
        to {
          visibility: visible;
        }
      }
    `,
  ];

  readonly session = new SessionController(this);
  /** The session's theme, live: a change in any tab of this session applies here at once. */
  readonly #prefs = new LiveViewController(this, prefsSchemas, { hub: this.session.live });

  constructor() {
    super();
    // Every live panel below finds the page's hub (and so its socket) through this.
    provideLiveHub(this, this.session.live);
  }

  override render() {
    return html`
      <header><div class="bar"><span class="brand"><img src="/favicon.svg" alt="" />tether</span></div></header>
      <main>${this.#view()}</main>
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    applyTheme(this.#theme());
  }

  /**
   * Signed in: the live view's theme, or /api/session's until it answers. Still loading: the one the
   * last load applied (theme-boot.js painted it already; switching to the system's meanwhile would
   * flash). Signed out: the system's.
   */
  #theme(): Theme {
    if (this.session.phase === 'loading') return cachedTheme() ?? 'system';
    if (this.session.phase !== 'signed-in') return 'system';
    return this.#prefs.state?.theme ?? this.session.theme;
  }

  #view() {
    const s = this.session;
    switch (s.phase) {
      case 'loading':
        return html`<p class="loading">Loading…</p>`;
      case 'unreachable':
        return html`<section class="card">
          <h1>Cannot reach tether</h1>
          <p role="alert" class="alert">The server did not answer. Check your connection, then try again.</p>
          <button class="primary" @click=${() => s.retry()}>Try again</button>
        </section>`;
      case 'signed-out':
        return html`<tether-sign-in .notice=${s.endMessage} .signIn=${s.signIn.bind(s)}></tether-sign-in>`;
      case 'signed-in':
        return html`<tether-dashboard
          .user=${s.user}
          .deadlines=${s.deadlines}
          .idleTimeoutMs=${s.idleTimeoutMs}
          .skewMs=${s.skewMs}
          .sessions=${s.sessions}
          .sessionsError=${s.sessionsError}
          .theme=${s.theme}
          .liveNotice=${s.liveNotice}
          .actions=${s}
          .account=${s.account}
          .stepUp=${s.stepUp}
        ></tether-dashboard>`;
      default:
        return nothing;
    }
  }
}

/** The whole document follows: page.css switches its colour tokens on this attribute. */
function applyTheme(theme: Theme): void {
  rememberTheme(theme);
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else if (root.dataset.theme !== theme) root.dataset.theme = theme;
}

declare global {
  interface HTMLElementTagNameMap {
    'tether-app': TetherApp;
  }
}
