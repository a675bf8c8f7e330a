// A preference (the theme) written into the session from a live view: HTTP and every tab see it.
import { THEMES, prefsSchemas, type Theme } from '../../shared/views/prefs.js';
import { defineLiveView, type LiveView } from '../live/index.js';

const isTheme = (v: unknown): v is Theme => typeof v === 'string' && (THEMES as readonly string[]).includes(v);

/** @example const prefs = createPrefsView(); */
export function createPrefsView(): LiveView<typeof prefsSchemas> {
  return defineLiveView({
    schemas: prefsSchemas,
    topics: (ctx) => [ctx.session.topic],
    async mount(ctx) {
      const theme = (await ctx.session.read())?.theme;
      return { theme: isTheme(theme) ? theme : 'system' };
    },
    async handleEvent({ payload }, ctx) {
      const saved = await ctx.session.write({ theme: payload.theme });
      return saved ? { theme: payload.theme } : undefined;
    },
    handleInfo(_topic, message) {
      const theme = (message as { patch?: { theme?: unknown } } | null)?.patch?.theme;
      return isTheme(theme) ? { theme } : undefined;
    },
  });
}
