// The shout box on the server: the last five one-line messages of anyone signed in.
import * as z from 'zod/mini';
import { defineLiveView } from 'tether-session/live';
import { shoutSchemas, type ShoutState } from './shout.js';

const TOPIC = 'shout';

/**
 * The shouts live in this process (one node; a shared store such as Redis for several).
 * @example createLiveRuntime({ ..., views: [createShoutView()] });
 */
export function createShoutView({ now = Date.now }: { now?: () => number } = {}) {
  let shouts: ShoutState['shouts'] = [];
  return defineLiveView({
    schemas: shoutSchemas,
    topics: () => [TOPIC],
    mount: () => ({ shouts }),
    // The payload is checked against shoutSchemas.events.post before this runs.
    handleEvent({ payload }, ctx) {
      shouts = [{ by: ctx.user.username, text: payload.text, at: now() }, ...shouts].slice(0, 5);
      // Every instance hears it (this one too, on every node) and patches its own tab.
      ctx.publish(TOPIC, shouts);
    },
    // A topic message is unknown until checked: the view's own state schema checks it.
    handleInfo(_topic, message) {
      const parsed = z.safeParse(shoutSchemas.state, { shouts: message });
      return parsed.success ? parsed.data : undefined;
    },
  });
}
