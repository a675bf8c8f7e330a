// The wire contract is typed end to end: a wrong event name or payload is a compile error.
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, SocketData, TouchAck } from '../../shared/events.js';
import type { LiveEventMessage, LiveEvents, LivePatch, LiveStates } from '../../shared/live.js';
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
  it('give each event its payload type', () => {
    expectTypeOf<LiveEvents<'board'>['bump']>().toEqualTypeOf<{ by: 1 | -1 }>();
    expectTypeOf<LiveEvents<'prefs'>['setTheme']>().toEqualTypeOf<{ theme: 'system' | 'light' | 'dark' }>();
    expectTypeOf<keyof LiveEvents<'presence'>>().toEqualTypeOf<never>();
  });

  it('refuse a wrong event name or payload in a live:event message', () => {
    expectTypeOf<{ view: 'board'; event: 'bump'; payload: { by: 1 } }>().toExtend<LiveEventMessage>();
    expectTypeOf<{ view: 'board'; event: 'bump'; payload: { by: 2 } }>().not.toExtend<LiveEventMessage>();
    expectTypeOf<{ view: 'board'; event: 'setTheme'; payload: { theme: 'dark' } }>().not.toExtend<LiveEventMessage>();
    expectTypeOf<{ view: 'presence'; event: 'bump'; payload: { by: 1 } }>().not.toExtend<LiveEventMessage>();
  });

  it('type patches per view with only that view’s keys', () => {
    expectTypeOf<Extract<LivePatch, { view: 'board' }>['changes']>().toEqualTypeOf<Partial<LiveStates['board']>>();
  });

  it('make the test kit’s liveEvent refuse wrong payloads at compile time', () => {
    const tab = null as unknown as TestTab;
    // @ts-expect-error: by must be 1 or -1
    const badPayload = () => tab.liveEvent('board', 'bump', { by: 2 });
    // @ts-expect-error: the board view has no setTheme event
    const badEvent = () => tab.liveEvent('board', 'setTheme', { theme: 'dark' });
    expectTypeOf(badPayload).toBeFunction();
    expectTypeOf(badEvent).toBeFunction();
  });
});
