// The shout box's schemas, defined once and imported by the server view and by the page.
import * as z from 'zod/mini';
import { defineLiveSchemas, type LiveStateOf } from 'tether-session/schemas';

export const shoutSchemas = defineLiveSchemas({
  name: 'shout',
  state: z.object({ shouts: z.array(z.object({ by: z.string(), text: z.string(), at: z.number() })) }),
  events: {
    post: z.strictObject({ text: z.string().check(z.trim(), z.minLength(1), z.maxLength(140)) }),
  },
});

export type ShoutState = LiveStateOf<typeof shoutSchemas>;
