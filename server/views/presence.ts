// Who is online now: users with a dashboard tab open, with how many tabs, across nodes.
import { presenceSchemas, type PresenceState } from '../../shared/views/presence.js';
import { defineLiveView, liveRoom, type LiveView } from '../live/index.js';
import type { TetherServer } from '../socketio/index.js';

/**
 * Recomputed from the sockets in the presence room (the adapter asks every node), once per burst
 * of joins and leaves on this node, however many tabs are watching.
 * @example const presence = createPresenceView({ io, username });
 */
export function createPresenceView({ io, username }: { io: TetherServer; username(userId: string): Promise<string> }): LiveView<typeof presenceSchemas> {
  let inFlight: Promise<PresenceState> | undefined;
  let again = false;

  const compute = async (): Promise<PresenceState> => {
    const sockets = await io.in(liveRoom('presence')).fetchSockets();
    const tabs = new Map<string, number>();
    for (const s of sockets) tabs.set(s.data.userId, (tabs.get(s.data.userId) ?? 0) + 1);
    const online = await Promise.all([...tabs].map(async ([userId, n]) => ({ userId, username: await username(userId), tabs: n })));
    return { online: online.sort((a, b) => a.username.localeCompare(b.username)) };
  };
  /** Coalesces: callers during a computation share the next one. */
  const current = (): Promise<PresenceState> => {
    if (inFlight) {
      again = true;
      return inFlight.then(() => current());
    }
    inFlight = compute().finally(() => {
      inFlight = undefined;
      if (again) again = false;
    });
    return inFlight;
  };

  return defineLiveView({
    schemas: presenceSchemas,
    topics: () => [liveRoom('presence')],
    async mount(ctx) {
      // This socket joins the room right after mount; count it already.
      const state = await current();
      const me = state.online.find((u) => u.userId === ctx.user.id);
      if (me) return { online: state.online.map((u) => (u === me ? { ...u, tabs: u.tabs + 1 } : u)) };
      return { online: [...state.online, { userId: ctx.user.id, username: ctx.user.username, tabs: 1 }].sort((a, b) => a.username.localeCompare(b.username)) };
    },
    handleInfo: () => current(),
  });
}
