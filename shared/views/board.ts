// The shared board's schemas: a counter every signed-in user sees change at once, and its events.
import * as z from 'zod/mini';
import { defineLiveSchemas, type LiveStateOf } from '../live.js';

export const boardSchemas = defineLiveSchemas({
  name: 'board',
  state: z.object({ count: z.number(), lastBy: z.nullable(z.string()), lastAt: z.nullable(z.number()) }),
  events: {
    bump: z.strictObject({ by: z.union([z.literal(1), z.literal(-1)]) }),
    reset: z.strictObject({}),
  },
});
export type BoardState = LiveStateOf<typeof boardSchemas>;
