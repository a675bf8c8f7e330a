// Keeps one live socket open for the signed-in session and turns user activity into touches.
import type { Deadlines } from '../../shared/events.js';
import type { EndReason, ExpiredDeadline, HandshakeRefusal } from '../../shared/reasons.js';
import { createThrottle, realTimers, type Throttle, type Timers } from './activity.js';
import { jitteredBackoff, phoenixBackoff, type Backoff } from './backoff.js';
import { touchIntervalMs } from './deadlines.js';
import { LiveHub } from './live-hub.js';
import { openLiveSocket, type LiveSocket, type LiveSocketOptions } from './live-socket.js';

/** What the binding reports to its owner (the session controller). */
export interface LiveBindingEvents {
  connected(): void;
  /** The server says the user's list of sessions changed. */
  sessionsChanged(): void;
  /** The session ended (the socket is closed and will not reopen). */
  ended(reason: EndReason | null, deadline?: ExpiredDeadline): void;
  /** The session may have changed under us (renewed, refused, ended unannounced): GET /api/session. */
  recheck(why: 'renewed' | 'refused' | 'no-socket' | 'touch-refused'): void;
  deadlines(deadlines: Deadlines): void;
  /** Another session of this user signed in (unchecked payload). */
  signedIn?(payload: unknown): void;
  /** The user's activity history changed. */
  activityChanged?(): void;
  /** `notice` changed. */
  changed(): void;
}

export interface LiveBindingOptions {
  events: LiveBindingEvents;
  openSocket?: (options: LiveSocketOptions) => LiveSocket;
  backoff?: Backoff;
  timers?: Timers;
  /** Refused handshakes of a still signed-in tab that are re-checked before live updates give up. */
  maxRefusals?: number;
  /** The page's live views, moved onto each socket as it connects. */
  views?: LiveHub;
  /** The app's sentence for a final refusal, shown as `notice` (the code itself by default). */
  describeRefusal?: (code: HandshakeRefusal) => string;
}

/**
 * `ensure(token, idleTimeoutMs)` after every GET /api/session that says "signed in"; `close()` when
 * the session ends. Each socket is guarded by identity: events of a socket that is no longer the
 * current one are ignored, so an old connection never acts on a newer session.
 * @example const live = new LiveBinding({ events }); live.ensure(csrfToken, idleTimeoutMs); window.onkeydown = () => live.poke();
 */
export class LiveBinding {
  /** Why live updates are off while signed in (shown on the page), or null. */
  notice: string | null = null;

  readonly #events: LiveBindingEvents;
  readonly #open: (options: LiveSocketOptions) => LiveSocket;
  readonly #backoff: Backoff;
  readonly #timers: Timers;
  readonly #maxRefusals: number;
  readonly #views: LiveHub;
  readonly #describeRefusal: (code: HandshakeRefusal) => string;
  #socket: LiveSocket | null = null;
  #token = '';
  #blocked = false;
  #refusals = 0;
  #throttle: Throttle | null = null;
  #interval = 0;

  constructor({ events, openSocket = openLiveSocket, backoff = jitteredBackoff(phoenixBackoff), timers = realTimers, maxRefusals = 3, views = new LiveHub(), describeRefusal = (code) => code }: LiveBindingOptions) {
    this.#events = events;
    this.#describeRefusal = describeRefusal;
    this.#views = views;
    this.#open = openSocket;
    this.#backoff = backoff;
    this.#timers = timers;
    this.#maxRefusals = maxRefusals;
  }

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  /** Opens a socket unless one is open with this token (or live updates were refused for good). */
  ensure(token: string, idleTimeoutMs: number, { open = true }: { open?: boolean } = {}): void {
    const interval = touchIntervalMs(idleTimeoutMs);
    if (!this.#throttle || this.#interval !== interval) {
      this.#throttle?.cancel();
      this.#throttle = createThrottle({ intervalMs: interval, run: () => void this.#touch(), timers: this.#timers });
      this.#interval = interval;
    }
    if (token !== this.#token) this.#blocked = false;
    if (open && !this.#blocked && (!this.#socket || token !== this.#token)) this.#connect(token);
  }

  /** Closes the socket (listeners first, so its own disconnect reports nothing). */
  pause(): void {
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
    this.#views.detach();
  }

  /** Closes and forgets everything: the session is over. */
  close(): void {
    this.pause();
    this.#throttle?.cancel();
    this.#throttle = null;
    this.#token = '';
    this.#blocked = false;
    this.#refusals = 0;
    this.notice = null;
    this.#views.reset();
  }

  /** User activity: a throttled `session:touch`. */
  poke(): void {
    this.#throttle?.poke();
  }

  /** "Stay signed in": a touch now. */
  touchNow(): void {
    if (this.#throttle) this.#throttle.runNow(1000);
    else void this.#touch();
  }

  #connect(token: string): void {
    this.pause();
    const isCurrent = (): boolean => this.#socket === socket;
    const drop = (): boolean => {
      if (!isCurrent()) return false;
      this.#socket = null;
      this.#views.detach();
      return true;
    };
    const socket: LiveSocket = this.#open({
      csrfToken: token,
      backoff: this.#backoff,
      timers: this.#timers,
      onConnect: () => {
        if (!isCurrent()) return;
        this.#refusals = 0;
        // First connect or again: every watched view joins (again) on this connection.
        this.#views.attach(socket);
        if (this.notice !== null) {
          this.notice = null;
          this.#events.changed();
        }
        this.#events.connected();
      },
      onEnded: (reason, deadline) => drop() && this.#events.ended(reason, deadline),
      onRenewed: () => drop() && this.#events.recheck('renewed'),
      onDeadlines: (deadlines) => isCurrent() && this.#events.deadlines(deadlines),
      onSessionsChanged: () => isCurrent() && this.#events.sessionsChanged(),
      onSignedIn: (payload) => isCurrent() && this.#events.signedIn?.(payload),
      onActivityChanged: () => isCurrent() && this.#events.activityChanged?.(),
      onRefused: (code) => drop() && this.#onRefused(code),
      onPatch: (patch) => isCurrent() && this.#views.patch(socket, patch),
      onDisconnect: () => isCurrent() && this.#views.detach(),
    });
    this.#socket = socket;
    this.#token = token;
  }

  #onRefused(code: HandshakeRefusal): void {
    if (code === 'session_expired') return this.#events.ended('expired');
    if (code === 'unauthenticated' || code === 'csrf_invalid') {
      // Ended or renewed under us: ask the server which, after a backoff, a few times at most.
      this.#refusals += 1;
      if (this.#refusals <= this.#maxRefusals) {
        this.#timers.setTimeout(() => this.#events.recheck('refused'), this.#backoff(this.#refusals));
        return;
      }
    }
    this.#blocked = true;
    this.notice = this.#describeRefusal(code);
    this.#events.changed();
  }

  async #touch(): Promise<void> {
    const socket = this.#socket;
    // Without a socket a request is the activity: any request of a signed-in session moves the deadline.
    if (!socket?.connected) return this.#events.recheck('no-socket');
    const ack = await socket.touch();
    if (!ack || socket !== this.#socket) return;
    if (ack.ok) this.#events.deadlines({ idleExpiresAt: ack.idleExpiresAt, absoluteExpiresAt: ack.absoluteExpiresAt });
    // session:ended normally arrives before this ack (same socket, in order); this is the fallback.
    else if (ack.error.code === 'session_ended') this.#events.recheck('touch-refused');
  }
}
