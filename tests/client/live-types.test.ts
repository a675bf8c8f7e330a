// The client's live API is typed by each view's shared schemas object: a wrong view, event name or payload does not compile (`npm test` runs tsc first).
import { describe, expectTypeOf, it } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import * as z from 'zod/mini';
import { defineLiveSchemas, LiveHub, LiveViewController, type LiveEventAck } from '../../client/toolkit/index.js';
import { boardSchemas, type BoardState } from '../../shared/views/board.js';
import { presenceSchemas, type PresenceState } from '../../shared/views/presence.js';
import { prefsSchemas, type PrefsState, type Theme } from '../../shared/views/prefs.js';
import { statusSchemas, type StatusState } from '../../shared/views/status.js';

const host: ReactiveControllerHost = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
const hub = new LiveHub();

describe('LiveViewController types', () => {
  it("types state by the view's state schema", () => {
    expectTypeOf(new LiveViewController(host, boardSchemas, { hub }).state).toEqualTypeOf<BoardState | null>();
    expectTypeOf(new LiveViewController(host, presenceSchemas, { hub }).state).toEqualTypeOf<PresenceState | null>();
    expectTypeOf(new LiveViewController(host, statusSchemas, { hub }).state).toEqualTypeOf<StatusState | null>();
    expectTypeOf(new LiveViewController(host, prefsSchemas, { hub }).state).toEqualTypeOf<PrefsState | null>();
    expectTypeOf<BoardState>().toEqualTypeOf<{ count: number; lastBy: string | null; lastAt: number | null }>();
    expectTypeOf<PrefsState>().toEqualTypeOf<{ theme: 'system' | 'light' | 'dark' }>();
  });

  it('takes a schemas object, not a name', () => {
    // @ts-expect-error: a view is its schemas object
    new LiveViewController(host, 'board', { hub });
  });

  it("types send by the view's events and their payloads", () => {
    const board = new LiveViewController(host, boardSchemas, { hub });
    expectTypeOf(board.send<'bump'>).parameter(1).toEqualTypeOf<{ by: 1 | -1 }>();
    expectTypeOf(board.send<'bump'>).returns.toEqualTypeOf<Promise<LiveEventAck>>();
    void board.send('bump', { by: 1 });
    void board.send('bump', { by: -1 });
    void board.send('reset', {});
    // @ts-expect-error: not an event of the board
    void board.send('bumpp', { by: 1 });
    // @ts-expect-error: by is 1 or -1
    void board.send('bump', { by: 2 });
    // @ts-expect-error: the payload is required
    void board.send('bump');
    // @ts-expect-error: reset takes an empty object
    void board.send('reset', { by: 1 });
    // @ts-expect-error: another view's event
    void board.send('setTheme', { theme: 'dark' });

    const prefs = new LiveViewController(host, prefsSchemas, { hub });
    expectTypeOf(prefs.send<'setTheme'>).parameter(1).toEqualTypeOf<{ theme: Theme }>();
    void prefs.send('setTheme', { theme: 'light' });
    // @ts-expect-error: not a theme
    void prefs.send('setTheme', { theme: 'neon' });
  });

  it('views without events take none', () => {
    const presence = new LiveViewController(host, presenceSchemas, { hub });
    expectTypeOf(presence.send).parameter(0).toEqualTypeOf<never>();
    // @ts-expect-error: presence has no events
    void presence.send('bump', { by: 1 });
  });

  it("types a view the app defines itself, from its schemas alone", () => {
    const chat = defineLiveSchemas({
      name: 'chat',
      state: z.object({ lines: z.array(z.string()) }),
      events: { say: z.strictObject({ text: z.string() }) },
    });
    const c = new LiveViewController(host, chat, { hub });
    expectTypeOf(c.state).toEqualTypeOf<{ lines: string[] } | null>();
    expectTypeOf(c.view.name).toEqualTypeOf<'chat'>();
    void c.send('say', { text: 'hi' });
    // @ts-expect-error: text is a string
    void c.send('say', { text: 1 });
  });
});

describe('LiveHub types', () => {
  it('pairs each view with its own events and state', () => {
    expectTypeOf(hub.state(boardSchemas)).toEqualTypeOf<BoardState | null>();
    expectTypeOf(hub.send<typeof prefsSchemas, 'setTheme'>).parameter(2).toEqualTypeOf<{ theme: Theme }>();
    void hub.send(boardSchemas, 'reset', {});
    // @ts-expect-error: setTheme is the prefs view's
    void hub.send(boardSchemas, 'setTheme', { theme: 'dark' });
  });
});
