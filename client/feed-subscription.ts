// Keeps a Lit element subscribed to the AccountFeed its `feed` property holds, while it is connected.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AccountFeed } from './account-feed.js';

type FeedHost = ReactiveControllerHost & { feed: AccountFeed | null };

/**
 * Re-renders the host on every change of its feed, follows a new feed when the property changes,
 * and lets go of it when the host leaves the page. `onFeed` runs when a new feed is taken up.
 * @example new FeedSubscription(this, (feed) => { if (feed.activity === null) void feed.refresh(); });
 */
export class FeedSubscription implements ReactiveController {
  readonly #host: FeedHost;
  readonly #onFeed: ((feed: AccountFeed) => void) | undefined;
  #feed: AccountFeed | null = null;
  #off: (() => void) | null = null;

  constructor(host: FeedHost, onFeed?: (feed: AccountFeed) => void) {
    this.#host = host;
    this.#onFeed = onFeed;
    host.addController(this);
  }

  hostConnected(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
    this.#feed = null;
  }

  /** Runs before each render: a feed set since the last one is followed from now on. */
  hostUpdate(): void {
    if (this.#host.feed !== this.#feed) this.#follow();
  }

  #follow(): void {
    this.#off?.();
    this.#feed = this.#host.feed;
    this.#off = this.#feed?.subscribe(() => this.#host.requestUpdate()) ?? null;
    if (this.#feed) this.#onFeed?.(this.#feed);
  }
}
