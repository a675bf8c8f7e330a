// The server-status view's schemas: the serving node's sockets, sessions, event-loop delay, memory.
import * as z from 'zod/mini';
import { defineLiveSchemas, type LiveStateOf } from '../live.js';

export const statusSchemas = defineLiveSchemas({
  name: 'status',
  state: z.object({
    /** Sockets connected to the node serving this tab. */
    sockets: z.number(),
    /** Sessions with at least one open socket on that node. */
    sessions: z.number(),
    eventLoopDelayMs: z.number(),
    heapUsedMb: z.number(),
    rssMb: z.number(),
    uptimeS: z.number(),
    at: z.number(),
  }),
});
export type StatusState = LiveStateOf<typeof statusSchemas>;
