// The dashboard's live views, wired onto a running server.
import type { TetherParts } from '../parts.js';
import type { UsersRepo } from '../auth/users.js';
import { createLiveRuntime, createTopics } from '../live/index.js';
import { createBoardView } from './board.js';
import { createBoardCounter } from './board-counter.js';
import { createPresenceView } from './presence.js';
import { createPrefsView } from './prefs.js';
import { createStatusView } from './status.js';

/** Usernames by id, cached (bounded): presence shows names of users on other nodes too. */
function usernameLookup(users: UsersRepo): (userId: string) => Promise<string> {
  const cache = new Map<string, string>();
  return async (userId) => {
    const hit = cache.get(userId);
    if (hit) return hit;
    const name = (await users.findById(userId))?.username ?? 'unknown';
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    cache.set(userId, name);
    return name;
  };
}

/**
 * @example await createTether({ config, extend: (parts) => mountDashboard(parts, users) });
 */
export function mountDashboard({ io, lifecycle, sockets, clock, log, clustered, stores, metrics }: TetherParts, users: UsersRepo) {
  const topics = createTopics(io, clustered);
  const username = usernameLookup(users);
  const status = createStatusView({ clock, topics, source: { sockets: () => io.of('/').sockets.size, sessions: () => lifecycle.stats().sessionsWatched } });
  const runtime = createLiveRuntime({
    io,
    lifecycle,
    metrics,
    router: sockets,
    topics,
    log,
    username,
    views: [createPresenceView({ io, username }), status, createBoardView({ clock, counter: createBoardCounter(stores.redis) }), createPrefsView()],
  });
  return { runtime, topics, close: status.close };
}
