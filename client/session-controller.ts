// The page's live binding to its session, as a Lit ReactiveController: state, actions, tabs.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LoginBody, PasswordChangeBody, SessionListItem, SessionState, User } from '../shared/api.js';
import type { Deadlines } from '../shared/events.js';
import type { Theme } from '../shared/views/prefs.js';
import type { EndReason } from '../shared/reasons.js';
import { AccountFeed } from './account-feed.js';
import { createApi, type Api, type ApiFailure, type ApiOptions } from './api.js';
import { createTabSync, endOf, LiveBinding, LiveHub, type LiveBindingOptions, type TabMessage, type TabSync } from './toolkit/index.js';
import { endMessage, liveRefusalMessage, SELF_SIGN_OUT_MESSAGE } from './messages.js';
import { watchPage } from './page-signals.js';
import { SessionLoader } from './session-loader.js';
import { SessionsFeed } from './sessions-feed.js';
import { StepUp } from './step-up.js';

export type Phase = 'loading' | 'unreachable' | 'signed-out' | 'signed-in';

export interface SessionControllerOptions extends Omit<LiveBindingOptions, 'events' | 'views'> {
  api?: (options: ApiOptions) => Api;
  tabSync?: () => TabSync;
  win?: Window;
}

/**
 * Owns what the page knows of its session and keeps it true: GET /api/session on load, the live
 * socket while signed in, messages from other tabs, activity → `session:touch`. Every change ends
 * in `host.requestUpdate()`; the host renders from the public fields.
 * @example class App extends LitElement { session = new SessionController(this); render() { return this.session.phase; } }
 */
export class SessionController implements ReactiveController {
  phase: Phase = 'loading';
  user: User | null = null;
  deadlines: Deadlines | null = null;
  idleTimeoutMs = 1_800_000;
  /** Why the last session ended: the Sign in view's role="status". */
  endMessage: string | null = null;
  /** Server clock minus this one (from the Date header) when off by more than 2 s, else 0. */
  skewMs = 0;
  /** The session's theme as /api/session last said (the `prefs` live view has the live one). */
  theme: Theme = 'system';
  /** The page's live views, on this session's socket while signed in (see LiveViewController). */
  readonly live = new LiveHub();
  /** New sign-in notices and the activity history; step-up ("Confirm your password"). */
  readonly account = new AccountFeed((before) => this.#api.activity(before));
  readonly stepUp = new StepUp((password) => this.#api.reauthenticate(password));

  readonly #host: ReactiveControllerHost;
  readonly #api: Api;
  readonly #loader: SessionLoader;
  readonly #live: LiveBinding;
  readonly #feed: SessionsFeed;
  readonly #options: SessionControllerOptions;
  #tabs: TabSync | null = null;
  #stopWatching: (() => void) | null = null;
  #leaving = false;

  constructor(host: ReactiveControllerHost, options: SessionControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    this.#api = (options.api ?? createApi)({
      token: () => this.#loader.token(),
      refreshToken: async () => {
        const before = this.user?.id ?? null;
        await this.#load();
        // The session changed hands meanwhile (another tab signed in or out): do not repeat.
        return (this.user?.id ?? null) === before && this.#loader.csrfToken ? this.#loader.csrfToken : null;
      },
      stepUp: () => this.stepUp.request(),
      onServerDate: (server, receivedAt) => {
        const offset = server + 500 - receivedAt; // the Date header has whole seconds
        this.skewMs = Math.abs(offset) > 2000 ? offset : 0;
      },
    });
    this.#loader = new SessionLoader((o) => this.#api.session(o), options);
    this.#feed = new SessionsFeed({
      // Background GETs: a push (another device's tab opening) must not keep this session alive.
      fetch: () => this.#api.sessions(),
      active: () => this.phase === 'signed-in',
      ended: (res) => this.#endedBy(res),
      changed: () => this.#update(),
      ...(options.timers ? { timers: options.timers } : {}),
    });
    this.#live = new LiveBinding({
      describeRefusal: liveRefusalMessage,
      ...options,
      views: this.live,
      events: {
        ...this.account.liveEvents(),
        // A connect may follow missed pushes: refetch then too.
        connected: () => void (this.#feed.refreshSoon(), this.account.refresh()),
        sessionsChanged: () => this.#feed.refreshSoon(),
        ended: (reason, deadline) => this.#endLocally(endMessage(reason, { deadline, deadlines: this.deadlines })),
        recheck: (why) => {
          if (!this.#stopWatching || this.phase !== 'signed-in') return;
          // 'no-socket': a touch with no socket to carry it; the request is the user's activity.
          // After session:renewed the new cookie may land after the push: the loader retries on 409.
          if (why === 'no-socket') void this.#load(null, { background: false });
          else void this.#load(why === 'renewed' ? null : this.#unexplainedEnd());
        },
        deadlines: (deadlines) => {
          this.deadlines = deadlines;
          this.#update();
        },
        changed: () => this.#update(),
      },
    });
    host.addController(this);
  }

  get sessions(): SessionListItem[] | null { return this.#feed.sessions; } // prettier-ignore

  /** Why the list could not be loaded, or null. */
  get sessionsError(): string | null { return this.#feed.error; } // prettier-ignore

  /** Why live updates are off while signed in, or null. */
  get liveNotice(): string | null { return this.#live.notice; } // prettier-ignore

  hostConnected(): void {
    this.#tabs = (this.#options.tabSync ?? createTabSync)();
    this.#stopWatching = watchPage(this.#options.win ?? window, this.#tabs, {
      onTabMessage: (message) => this.#onTabMessage(message),
      onVisible: () => this.#onVisible(),
      onActivity: () => this.#live.poke(),
    });
    // Opening the page is the user's doing.
    void this.#load(null, { background: false });
  }

  hostDisconnected(): void {
    this.#stopWatching?.();
    this.#stopWatching = null;
    this.#tabs = null;
    this.#live.close();
    // Answers still in flight belong to a page that is gone.
    this.#feed.clear();
    this.#loader.invalidate();
  }

  /** Signs in or creates the account; resolves the failure to show, or null on success. */
  async signIn(action: 'login' | 'register', credentials: LoginBody): Promise<ApiFailure | null> {
    const res = action === 'login' ? await this.#api.login(credentials) : await this.#api.register(credentials);
    if (!res.ok) return res;
    this.#tabs?.post({ type: 'signed-in' });
    this.#apply({ user: res.data.user, csrfToken: res.data.csrfToken, idleExpiresAt: null, absoluteExpiresAt: null, idleTimeoutMs: this.idleTimeoutMs });
    void this.#load(); // for the deadlines, which sign-in does not answer with
    return null;
  }

  /** "Sign out" / "Sign out everywhere": at once, no confirmation. */
  async signOut(everywhere = false): Promise<ApiFailure | null> {
    if (this.phase !== 'signed-in') return null;
    // Our own socket would hear session:ended and call it "another tab": close it before asking.
    this.#leaving = true;
    this.#live.pause();
    const res = await (everywhere ? this.#api.logoutEverywhere() : this.#api.logout()).finally(() => {
      this.#leaving = false;
    });
    if (!res.ok && res.status !== 401) {
      if (this.phase === 'signed-in') this.#live.ensure(this.#loader.csrfToken, this.idleTimeoutMs);
      return res;
    }
    const reason: EndReason = everywhere ? 'logout_everywhere' : 'logout';
    this.#tabs?.post({ type: 'ended', reason });
    this.#endLocally(everywhere ? endMessage(reason) : SELF_SIGN_OUT_MESSAGE);
    return null;
  }

  /** Ends another session of this user, then refreshes the list. A session already gone is fine. */
  async revoke(id: string): Promise<ApiFailure | null> {
    const res = await this.#api.revoke(id);
    if (!res.ok && this.#endedBy(res)) return null;
    void this.refreshSessions();
    return res.ok || res.code === 'not_found' ? null : res;
  }

  /** Changes the password; this session continues under a new ID and CSRF token. */
  async changePassword(body: PasswordChangeBody): Promise<ApiFailure | null> {
    const res = await this.#loader.renewing(this.#api.changePassword(body));
    if (!res.ok) {
      this.#endedBy(res);
      return res;
    }
    this.#loader.csrfToken = res.data.csrfToken;
    this.#tabs?.post({ type: 'renewed' });
    // Reopens the live socket under the new cookie and token; the list lost the other sessions.
    void this.#load();
    return null;
  }

  /** "Stay signed in": a touch now, whatever the throttle says. */
  stayActive(): void { this.#live.touchNow(); } // prettier-ignore

  /** Refetches "Your sessions" (after a revoke, a connect, a `sessions:changed` push, the tab shown). */
  refreshSessions(): Promise<void> { return this.#feed.refresh(); } // prettier-ignore

  /** The local clock says the deadline passed. With a live socket the server says so itself. */
  deadlinePassed(): void {
    if (this.phase === 'signed-in' && !this.#live.connected) void this.#load(endMessage('expired', { deadlines: this.deadlines }));
  }

  /** After "Could not reach the server": GET /api/session again. */
  retry(): void {
    void this.#load(null, { background: false });
  }

  #update(): void { this.#host.requestUpdate(); } // prettier-ignore

  /**
   * GET /api/session and show what it implies; `ifSignedOut` says why, should a signed-in tab find
   * itself signed out. A background request (the default: the page asking by itself) is not activity.
   */
  #load(ifSignedOut: string | null = null, { background = true }: { background?: boolean } = {}): Promise<void> {
    return this.#loader.load(
      (res) => {
        if (res.ok) return this.#apply(res.data, ifSignedOut);
        if (this.phase === 'loading' || this.phase === 'unreachable') {
          this.phase = 'unreachable';
          this.#update();
        }
      },
      { background },
    );
  }

  #apply(state: SessionState, ifSignedOut: string | null = null): void {
    this.#loader.csrfToken = state.csrfToken;
    this.idleTimeoutMs = state.idleTimeoutMs;
    if (!state.user) {
      if (this.phase === 'signed-in') this.#clearSignedIn(ifSignedOut ?? this.#unexplainedEnd());
      this.phase = 'signed-out';
    } else {
      if (this.phase !== 'signed-in' || this.user?.id !== state.user.id) this.#clearSignedIn(null);
      this.phase = 'signed-in';
      this.user = state.user;
      this.endMessage = null;
      if (state.idleExpiresAt !== null && state.absoluteExpiresAt !== null) {
        this.deadlines = { idleExpiresAt: state.idleExpiresAt, absoluteExpiresAt: state.absoluteExpiresAt };
      }
      this.#live.ensure(state.csrfToken, state.idleTimeoutMs, { open: !this.#leaving });
    }
    // After #clearSignedIn, which forgets the old session's theme: set before it, a page that just
    // loaded lost the session's own and painted the system's until the prefs live view answered.
    this.theme = state.preferences?.theme ?? 'system';
    this.#update();
  }

  /** Forgets everything of the signed-in session (nothing of it may stay on screen). */
  #clearSignedIn(message: string | null): void {
    this.#live.close();
    this.#feed.clear();
    this.account.clear();
    this.stepUp.cancel();
    Object.assign(this, { user: null, deadlines: null, theme: 'system' });
    if (message !== null) {
      this.phase = 'signed-out';
      this.endMessage = message;
    }
  }

  /** The session ended: show Sign in with why, then fetch a fresh anonymous CSRF token. */
  #endLocally(message: string): void {
    this.#clearSignedIn(message);
    this.#loader.csrfToken = '';
    this.#update();
    void this.#load();
  }

  /** A 401 unauthenticated while signed in means the session is gone. */
  #endedBy(res: ApiFailure): boolean {
    if (res.status !== 401 || res.code !== 'unauthenticated' || this.phase !== 'signed-in') return false;
    this.#endLocally(this.#unexplainedEnd());
    return true;
  }

  /** Nobody said why it ended: if our own clock says a deadline passed, it expired. */
  #unexplainedEnd(): string {
    const passed = this.deadlines !== null && Date.now() + this.skewMs >= endOf(this.deadlines).at - 2000;
    return endMessage(passed ? 'expired' : null, { deadlines: this.deadlines });
  }

  #onTabMessage(message: TabMessage): void {
    if (message.type === 'ended') {
      if (this.phase === 'signed-in') this.#endLocally(endMessage(message.reason, { deadlines: this.deadlines }));
      else if (this.phase === 'loading') void this.#load(endMessage(message.reason));
      return;
    }
    // Signed in or renewed elsewhere: the message says nothing more; the server says the rest.
    void this.#load();
  }

  /** The tab shown again: catch up (background requests: being looked at is not activity). */
  #onVisible(): void {
    if (this.phase === 'unreachable') void this.#load();
    if (this.phase !== 'signed-in') return;
    void this.refreshSessions();
    if (!this.#live.connected) void this.#load();
  }
}
