// The wire contract is typed end to end: a wrong event name or payload is a compile error.
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, SocketData, TouchAck } from '../../shared/events.js';
import type { LiveEventInput, LiveEventName, LiveEventOf, LivePatchOf, LiveStateOf } from '../../shared/live.js';
import { defineLiveView } from '../../server/live/index.js';
import { boardSchemas } from '../../shared/views/board.js';
import { presenceSchemas } from '../../shared/views/presence.js';
import { prefsSchemas } from '../../shared/views/prefs.js';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import type { TestTab } from '../../server/testing/index.js';

type Client = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

describe('the socket contract', () => {
  it('types session:ended with the five reasons', () => {
    expectTypeOf<Parameters<ServerToClientEvents['session:ended']>[0]>().toEqualTypeOf<{ reason: EndReason; deadline?: ExpiredDeadline }>();
    expectTypeOf<ExpiredDeadline>().toEqualTypeOf<'idle' | 'absolute'>();
    expectTypeOf<EndReason>().toEqualTypeOf<'logout' | 'logout_everywhere' | 'revoked' | 'expired' | 'password_changed'>();
  });

  it('types the touch ack as ok with deadlines or an error', () => {
    expectTypeOf<Extract<TouchAck, { ok: true }>>().toEqualTypeOf<{ ok: true } & { idleExpiresAt: number; absoluteExpiresAt: number }>();
    expectTypeOf<Extract<TouchAck, { ok: false }>['error']['code']>().toEqualTypeOf<'unknown_event' | 'invalid_input' | 'rate_limited' | 'unavailable' | 'session_ended' | 'reauthentication_required'>();
  });

  it('keeps socket.data to identifiers and deadlines', () => {
    expectTypeOf<keyof SocketData>().toEqualTypeOf<'sessionId' | 'userId' | 'idleExpiresAt' | 'absoluteExpiresAt'>();
  });

  it('refuses an unknown client event at compile time', () => {
    const socket = null as unknown as Client;
    // @ts-expect-error: no such event in ClientToServerEvents
    const wrongName = () => socket.emit('session:extend', {});
    expectTypeOf(wrongName).toBeFunction();
  });
});

describe('live views', () => {
  it('give each event its payload type, from the view\'s shared schemas', () => {
    expectTypeOf<LiveEventInput<typeof boardSchemas, 'bump'>>().toEqualTypeOf<{ by: 1 | -1 }>();
    expectTypeOf<LiveEventInput<typeof prefsSchemas, 'setTheme'>>().toEqualTypeOf<{ theme: 'system' | 'light' | 'dark' }>();
    expectTypeOf<LiveEventName<typeof presenceSchemas>>().toEqualTypeOf<never>();
  });

  it('hand a server handler one union member per event, narrowed by its name', () => {
    expectTypeOf<LiveEventOf<typeof boardSchemas>>().toEqualTypeOf<{ event: 'bump'; payload: { by: 1 | -1 } } | { event: 'reset'; payload: Record<string, never> }>();
  });

  it('type patches of a known view with only that view’s keys', () => {
    expectTypeOf<LivePatchOf<typeof boardSchemas>['changes']>().toEqualTypeOf<Partial<LiveStateOf<typeof boardSchemas>>>();
    expectTypeOf<LivePatchOf<typeof boardSchemas>['view']>().toEqualTypeOf<'board'>();
  });

  it('make the test kit’s liveEvent refuse wrong payloads at compile time', () => {
    const tab = null as unknown as TestTab;
    // @ts-expect-error: by must be 1 or -1
    const badPayload = () => tab.liveEvent(boardSchemas, 'bump', { by: 2 });
    // @ts-expect-error: the board view has no setTheme event
    const badEvent = () => tab.liveEvent(boardSchemas, 'setTheme', { theme: 'dark' });
    expectTypeOf(badPayload).toBeFunction();
    expectTypeOf(badEvent).toBeFunction();
  });

  it('make a server view’s handlers typed by its schemas', () => {
    defineLiveView({
      schemas: boardSchemas,
      mount: () => ({ count: 0, lastBy: null, lastAt: null }),
      handleEvent(message, _ctx, state) {
        if (message.event === 'bump') return { count: state.count + message.payload.by };
        expectTypeOf(message.event).toEqualTypeOf<'reset'>();
        return { count: 0 };
      },
    });
    defineLiveView({
      schemas: boardSchemas,
      mount: () => ({ count: 0, lastBy: null, lastAt: null }),
      // @ts-expect-error: count is a number
      handleEvent: () => ({ count: 'zero' }),
    });
    // @ts-expect-error: mount must return the whole state
    defineLiveView({ schemas: presenceSchemas, mount: () => ({ online: 3 }) });
  });
});
