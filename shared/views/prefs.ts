// The preferences view's schemas: the theme, written into the session from a live view.
import * as z from 'zod/mini';
import { defineLiveSchemas, type LiveStateOf } from '../live.js';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const themeSchema = z.enum(THEMES);

export const prefsSchemas = defineLiveSchemas({
  name: 'prefs',
  state: z.object({ theme: themeSchema }),
  events: { setTheme: z.strictObject({ theme: themeSchema }) },
});
export type PrefsState = LiveStateOf<typeof prefsSchemas>;
