// The presence view's schemas: who is online now, with how many tabs (shared by server and client).
import * as z from 'zod/mini';
import { defineLiveSchemas, type LiveStateOf } from '../live.js';

/** Signed-in users with at least one tab on the dashboard, across nodes, by username. */
export const presenceSchemas = defineLiveSchemas({
  name: 'presence',
  state: z.object({ online: z.array(z.object({ userId: z.string(), username: z.string(), tabs: z.number() })) }),
});
export type PresenceState = LiveStateOf<typeof presenceSchemas>;
