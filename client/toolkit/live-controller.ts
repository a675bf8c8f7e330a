// Binds a Lit component to a live view: join on connect, leave on disconnect, re-render on every patch.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LiveEventAck, LiveEventInput, LiveEventName, LiveSchemas, LiveStateOf } from '../../shared/live.js';
import type { LiveHub } from './live-hub.js';

/**
 * Asks the page for its hub: a component dispatches it from `hostConnected` and the page (which
 * called `provideLiveHub`) fills in `hub`. Bubbles and is composed, so it crosses shadow roots.
 */
export class LiveHubRequest extends Event {
  static readonly type = 'tether-live-hub';
  hub: LiveHub | null = null;
  constructor() {
    super(LiveHubRequest.type, { bubbles: true, composed: true });
  }
}

/**
 * Answers hub requests from everything under `root`; returns the function that stops answering.
 * @example provideLiveHub(this, this.session.live); // in the page element's constructor
 */
export function provideLiveHub(root: EventTarget, hub: LiveHub): () => void {
  const answer = (event: Event): void => {
    if (!(event instanceof LiveHubRequest)) return;
    event.hub = hub;
    event.stopPropagation();
  };
  root.addEventListener(LiveHubRequest.type, answer);
  return () => root.removeEventListener(LiveHubRequest.type, answer);
}

export interface LiveViewControllerOptions {
  /** The hub to use; by default the one provided above the host in the DOM (`provideLiveHub`). */
  hub?: LiveHub;
}

/**
 * The view's state is `state` (null until the first join answers), `live` says whether it is up
 * to date, and `send` is typed by the view's schemas (the same object the server view is defined
 * with): a wrong event name or payload does not compile.
 * @example class Board extends LitElement {
 *            #board = new LiveViewController(this, boardSchemas);
 *            render() { return html`${this.#board.state?.count} <button @click=${() => this.#board.send('bump', { by: 1 })}>+1</button>`; }
 *          }
 */
export class LiveViewController<D extends LiveSchemas> implements ReactiveController {
  readonly view: D;
  readonly #host: ReactiveControllerHost;
  readonly #given: LiveHub | null;
  #hub: LiveHub | null = null;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(host: ReactiveControllerHost, view: D, { hub }: LiveViewControllerOptions = {}) {
    this.#host = host;
    this.view = view;
    this.#given = hub ?? null;
    host.addController(this);
  }

  get state(): LiveStateOf<D> | null {
    return this.#hub?.state(this.view) ?? null;
  }

  /** Joined on the current connection: `state` is up to date. */
  get live(): boolean {
    return this.#hub?.live(this.view) ?? false;
  }

  /** Sends `event` to the view; the change comes back as a patch (to every tab that shows it). */
  send<E extends LiveEventName<D>>(event: E, payload: LiveEventInput<D, E>): Promise<LiveEventAck> {
    if (!this.#hub) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not on a page with live views' } });
    return this.#hub.send(this.view, event, payload);
  }

  hostConnected(): void {
    this.#hub = this.#given ?? this.#request();
    if (this.#hub) this.#unsubscribe.push(this.#hub.subscribe(this.view, () => this.#host.requestUpdate()));
  }

  hostDisconnected(): void {
    for (const stop of this.#unsubscribe.splice(0)) stop();
  }

  #request(): LiveHub | null {
    const host: unknown = this.#host;
    if (!(host instanceof EventTarget)) return null;
    const request = new LiveHubRequest();
    host.dispatchEvent(request);
    return request.hub;
  }
}
