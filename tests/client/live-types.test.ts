// The client's live API is typed by shared/live.ts: a wrong view, event name or payload does not compile (`npm test` runs tsc first).
import { describe, expectTypeOf, it } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import type { BoardState, LiveEventAck, PresenceState, PrefsState, StatusState, Theme } from '../../shared/live.js';
import { LiveViewController } from '../../client/live/controller.js';
import { LiveHub } from '../../client/live/hub.js';

const host: ReactiveControllerHost = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };
const hub = new LiveHub();

describe('LiveViewController types', () => {
  it("types state by the view's state in shared/live.ts", () => {
    expectTypeOf(new LiveViewController(host, 'board', { hub }).state).toEqualTypeOf<BoardState | null>();
    expectTypeOf(new LiveViewController(host, 'presence', { hub }).state).toEqualTypeOf<PresenceState | null>();
    expectTypeOf(new LiveViewController(host, 'status', { hub }).state).toEqualTypeOf<StatusState | null>();
    expectTypeOf(new LiveViewController(host, 'prefs', { hub }).state).toEqualTypeOf<PrefsState | null>();
  });

  it('takes only the views that exist', () => {
    // @ts-expect-error: there is no such view
    new LiveViewController(host, 'admin', { hub });
  });

  it("types send by the view's events and their payloads", () => {
    const board = new LiveViewController(host, 'board', { hub });
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

    const prefs = new LiveViewController(host, 'prefs', { hub });
    expectTypeOf(prefs.send<'setTheme'>).parameter(1).toEqualTypeOf<{ theme: Theme }>();
    void prefs.send('setTheme', { theme: 'light' });
    // @ts-expect-error: not a theme
    void prefs.send('setTheme', { theme: 'neon' });
  });

  it('views without events take none', () => {
    const presence = new LiveViewController(host, 'presence', { hub });
    expectTypeOf(presence.send).parameter(0).toEqualTypeOf<never>();
    // @ts-expect-error: presence has no events
    void presence.send('bump', { by: 1 });
  });
});

describe('LiveHub types', () => {
  it('pairs each view with its own events and state', () => {
    expectTypeOf(hub.state('board')).toEqualTypeOf<BoardState | null>();
    expectTypeOf(hub.send<'prefs', 'setTheme'>).parameter(2).toEqualTypeOf<{ theme: Theme }>();
    void hub.send('board', 'reset', {});
    // @ts-expect-error: setTheme is the prefs view's
    void hub.send('board', 'setTheme', { theme: 'dark' });
    // @ts-expect-error: a patch needs a known view
    hub.patch({ join: async () => null, leave() {}, send: async () => null }, { view: 'admin', rev: 1, changes: {} });
  });
});
