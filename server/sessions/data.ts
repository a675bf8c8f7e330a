// What a session holds: identifiers and metadata only, never a password, hash or secret.
import type { Deadlines } from '../../shared/events.js';

/** An app's own fields in a session (a preference, a cart id…): any JSON object shape. */
export type AppData = Record<string, unknown>;

/**
 * A signed-in session as the store keeps it. Anonymous visitors have no entry at all (their CSRF
 * token is stateless), so a flood of them costs the store nothing and can never displace this.
 */
export interface SessionRecord<App extends object = AppData> extends Deadlines {
  userId: string;
  username: string;
  /** The opaque public handle shown in session lists; never the session ID. It survives renewal. */
  handle: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string;
  ip: string;
  /**
   * Until when (epoch ms) the session counts as freshly authenticated, for step-up: set at sign-in
   * and by `lifecycle.markFresh` after a password confirmation. Absent in entries of older versions.
   */
  freshUntil?: number;
  /**
   * The app's data, written only through the lifecycle (`writeApp`), merged key by key: no other
   * write (a request's end, a touch) carries it, so none can overwrite it.
   */
  app: Partial<App>;
}

/** Who signs in and from where: what `create` needs beyond what it generates itself. */
export interface SessionStart<App extends object = AppData> {
  userId: string;
  username: string;
  userAgent?: string;
  ip?: string;
  app?: Partial<App>;
}
