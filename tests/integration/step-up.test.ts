// Step-up through the real server: sensitive acts need a recent sign-in or password confirmation (SESSION_FRESH_MS).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { touchPayloadSchema } from '../../shared/events.js';
import type { Reauthenticated } from '../../shared/account.js';
import { createManualClock, type TestBrowser, type TestTab } from '../../server/testing/index.js';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { createLiveRuntime } from '../../server/live/runtime.js';
import { createTopics } from '../../server/live/topics.js';
import { createBoardView } from '../../server/views/board.js';
import { boardSchemas } from '../../shared/views/board.js';

const PASSWORD = 'correct horse battery';
const FRESH_MS = 600_000;
const clock = createManualClock(Date.now());
let server: DashboardServer;
beforeAll(async () => {
  server = await startDashboard({
    clock,
    // An app event declared as needing a fresh session, through the binding's `on` options.
    extend: ({ io, lifecycle, sockets, log, clustered, clock: c }) => {
      sockets.on('test:sensitive', touchPayloadSchema, () => ({ ok: true }), { fresh: true });
      // A live view with a step-up event: this runtime's live routes replace the dashboard's here.
      const board = { ...createBoardView({ clock: c }), freshEvents: ['reset'] as const };
      createLiveRuntime({ io, lifecycle, router: sockets, topics: createTopics(io, clustered), log, username: async () => 'someone', views: [board] });
    },
  });
});
afterAll(() => server.close());

let n = 0;
const uniqueName = (base: string): string => `${base}${++n}${Math.random().toString(36).slice(2, 6)}`;
const code = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;

/** A user signed in on a laptop and a phone, both sign-ins older than the fresh window. */
const staleUser = async (): Promise<{ user: string; laptop: TestBrowser; phone: TestBrowser; phoneId: string }> => {
  const user = uniqueName('step');
  const laptop = server.browser();
  expect((await laptop.register(user, PASSWORD)).status).toBe(201);
  const phone = server.browser();
  expect((await phone.login(user, PASSWORD)).status).toBe(200);
  clock.advance(FRESH_MS + 1000);
  const phoneId = (await laptop.sessions()).sessions.find((s) => !s.current)!.id;
  return { user, laptop, phone, phoneId };
};

const sensitive = (tab: TestTab): Promise<unknown> => (tab.socket as unknown as Socket).timeout(2000).emitWithAck('test:sensitive', {});

describe('when the sign-in is older than SESSION_FRESH_MS', () => {
  it('revoking another session is 403 reauthentication_required and ends nothing', async () => {
    const { laptop, phone, phoneId } = await staleUser();
    const res = await laptop.revoke(phoneId);
    expect(res.status).toBe(403);
    expect(code(res.body)).toBe('reauthentication_required');
    expect((await phone.session()).user).not.toBeNull();
  });

  it('changing the password is 403 reauthentication_required and changes nothing', async () => {
    const { user, laptop } = await staleUser();
    const res = await laptop.changePassword(PASSWORD, 'another horse battery');
    expect(res.status).toBe(403);
    expect(code(res.body)).toBe('reauthentication_required');
    expect((await server.browser().login(user, PASSWORD)).status).toBe(200);
  });

  it('a socket event declared fresh gets the error ack reauthentication_required', async () => {
    const { laptop } = await staleUser();
    const tab = await laptop.openTab();
    expect(await sensitive(tab)).toEqual({ ok: false, error: { code: 'reauthentication_required', message: expect.any(String) } });
    laptop.closeTabs();
  });

  it('a live-view event declared fresh gets reauthentication_required; its other events work', async () => {
    const { laptop } = await staleUser();
    const tab = await laptop.openTab();
    await tab.join(boardSchemas);
    expect(await tab.liveEvent(boardSchemas, 'bump', { by: 1 })).toEqual({ ok: true });
    expect(await tab.liveEvent(boardSchemas, 'reset', {})).toEqual({ ok: false, error: { code: 'reauthentication_required', message: expect.any(String) } });
    expect((await laptop.post('/api/reauthenticate', { password: PASSWORD })).status).toBe(200);
    expect(await tab.liveEvent(boardSchemas, 'reset', {})).toEqual({ ok: true });
    laptop.closeTabs();
  });

  it('ending sessions never needs it: revoking the current one, sign out everywhere, sign out', async () => {
    const a = await staleUser();
    const current = (await a.laptop.sessions()).sessions.find((s) => s.current)!.id;
    expect((await a.laptop.revoke(current)).status).toBe(204);
    const b = await staleUser();
    expect((await b.laptop.logoutEverywhere()).status).toBe(204);
    expect((await b.phone.session()).user).toBeNull();
    const c = await staleUser();
    expect((await c.laptop.logout()).status).toBe(204);
  });

  it('a session that signed in within the window can be revoked at once ("Not you? Revoke")', async () => {
    const { user, laptop } = await staleUser();
    const intruder = server.browser();
    expect((await intruder.login(user, PASSWORD)).status).toBe(200);
    const id = (await laptop.sessions()).sessions.find((s) => !s.current && s.createdAt === clock.now())!.id;
    expect((await laptop.revoke(id)).status).toBe(204);
    expect((await intruder.session()).user).toBeNull();
  });
});

describe('when the user confirms the password with POST /api/reauthenticate', () => {
  it('answers 200 {csrfToken, freshUntil}; then revoke, the password change and the fresh socket event work', async () => {
    const { laptop, phone, phoneId } = await staleUser();
    const tab = await laptop.openTab();
    const res = await laptop.post<Reauthenticated>('/api/reauthenticate', { password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ csrfToken: laptop.csrfToken, freshUntil: clock.now() + FRESH_MS });
    expect(await sensitive(tab)).toEqual({ ok: true });
    expect((await laptop.revoke(phoneId)).status).toBe(204);
    expect((await phone.session()).user).toBeNull();
    laptop.closeTabs();
    expect((await laptop.changePassword(PASSWORD, 'another horse battery')).status).toBe(200);
  });

  it('the freshness lapses again after SESSION_FRESH_MS', async () => {
    const { laptop } = await staleUser();
    expect((await laptop.post('/api/reauthenticate', { password: PASSWORD })).status).toBe(200);
    clock.advance(FRESH_MS);
    expect(code((await laptop.changePassword(PASSWORD, 'another horse battery')).body)).toBe('reauthentication_required');
  });

  it('a wrong password is 401 invalid_credentials and counts like a failed sign-in (429 after 5)', async () => {
    const { laptop } = await staleUser();
    for (let i = 0; i < 5; i += 1) {
      const wrong = await laptop.post('/api/reauthenticate', { password: `wrong password ${i}` });
      expect(wrong.status).toBe(401);
      expect(code(wrong.body)).toBe('invalid_credentials');
    }
    const limited = await laptop.post('/api/reauthenticate', { password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(code(limited.body)).toBe('rate_limited');
  });

  it('signed out it is 401 unauthenticated; a bad body is 400 invalid_input', async () => {
    const anon = server.browser();
    await anon.session();
    expect(code((await anon.post('/api/reauthenticate', { password: PASSWORD })).body)).toBe('unauthenticated');
    const { laptop } = await staleUser();
    const bad = await laptop.post('/api/reauthenticate', { password: 42 });
    expect(bad.status).toBe(400);
    expect(code(bad.body)).toBe('invalid_input');
  });
});
