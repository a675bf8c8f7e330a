// The session controller's state machine, against a scripted /api, a socket double and a tab channel pair.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import type { LiveSocket, LiveSocketOptions } from '../../client/toolkit/index.js';
import { createApi } from '../../client/api.js';
import { SessionController } from '../../client/session-controller.js';
import { createTabSync } from '../../client/toolkit/index.js';
import { channelPair, viTimers } from './fakes.js';

const alice = { id: 'u1', username: 'alice' };
const later = Date.now() + 3_600_000;

/** A tiny scripted server: the session state, and any route's answer overridable per test. */
function fakeServer() {
  const state = { user: alice as typeof alice | null, token: 't1', sessionGets: 0, sessionsGets: 0, theme: 'system' as 'system' | 'light' | 'dark' };
  const log: string[] = [];
  const overrides = new Map<string, () => Response>();
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(url)}`;
    const headers = init?.headers as Record<string, string> | undefined;
    const sent = headers?.['X-CSRF-Token'];
    const background = headers?.['X-Tether-Background'] === '1' ? ' (background)' : '';
    log.push(sent ? `${key} [${sent}]` : `${key}${background}`);
    const override = overrides.get(key);
    if (override) return override();
    switch (key) {
      case 'GET /api/session':
        state.sessionGets += 1;
        return json(200, { preferences: { theme: state.user ? state.theme : 'system' }, user: state.user, csrfToken: state.token, idleExpiresAt: state.user ? later : null, absoluteExpiresAt: state.user ? later + 1 : null, idleTimeoutMs: 1_800_000 });
      case 'GET /api/sessions':
        state.sessionsGets += 1;
        if (!state.user) return json(401, { error: { code: 'unauthenticated', message: 'sign in first' } });
        return json(200, { sessions: [{ id: 'h1', current: true, createdAt: 1, lastSeenAt: 2, userAgent: '', ip: '127.0.0.1', sockets: 1 }] });
      case 'POST /api/logout':
        state.user = null;
        state.token = 'anon';
        return new Response(null, { status: 204 });
      default:
        return json(404, { error: { code: 'not_found', message: key } });
    }
  });
  return { state, log, overrides, fetch, json };
}

function fakeWindow(): Window & { document: { visibilityState: DocumentVisibilityState } } {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  return Object.assign(new EventTarget(), { document }) as unknown as Window & { document: { visibilityState: DocumentVisibilityState } };
}

interface SocketDouble extends LiveSocket {
  options: LiveSocketOptions;
  closed: boolean;
  isConnected: boolean;
}

function setup() {
  const server = fakeServer();
  const [here, otherTab] = channelPair();
  const sockets: SocketDouble[] = [];
  const host = { addController: vi.fn(), removeController: vi.fn(), requestUpdate: vi.fn(), updateComplete: Promise.resolve(true) } satisfies ReactiveControllerHost;
  const win = fakeWindow();
  const controller = new SessionController(host, {
    api: (options) => createApi({ ...options, fetch: server.fetch }),
    tabSync: () => createTabSync({ open: () => here }),
    openSocket: (options) => {
      const socket: SocketDouble = {
        options,
        closed: false,
        isConnected: false,
        touch: vi.fn(async () => null),
        join: vi.fn(async () => null),
        leave: vi.fn(),
        send: vi.fn(async () => null),
        close() {
          this.closed = true;
        },
        get connected() {
          return this.isConnected && !this.closed;
        },
      };
      sockets.push(socket);
      return socket;
    },
    timers: viTimers,
    win,
  });
  const other = createTabSync({ open: () => otherTab });
  return { server, controller, sockets, host, win, other, otherTab };
}

/** Lets fetches, JSON parsing and the debounce settle (fake clock, real microtasks). */
const settle = async (ms = 200): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await vi.advanceTimersByTimeAsync(ms / 5);
};

describe('SessionController', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  describe('when a signed-in page loads', () => {
    it('shows nothing until /api/session answers, then the signed-in view, its socket and its list', async () => {
      const { controller, sockets } = setup();
      controller.hostConnected();
      expect(controller.phase).toBe('loading');
      await settle();
      expect(controller.phase).toBe('signed-in');
      expect(controller.user).toEqual(alice);
      expect(sockets).toHaveLength(1);
      expect(sockets[0]?.options.csrfToken).toBe('t1');
      sockets[0]?.options.onConnect();
      await settle();
      expect(controller.sessions).toHaveLength(1);
    });

    // A reload of a dark session must not paint the system's theme until the live view answers.
    it("takes the session's theme from /api/session, not the system's, before any live view has joined", async () => {
      const { server, controller } = setup();
      server.state.theme = 'dark';
      controller.hostConnected();
      await settle();
      expect(controller.phase).toBe('signed-in');
      expect(controller.theme).toBe('dark');
    });
  });

  describe('when the socket says the session ended', () => {
    it('returns to Sign in with the reason, forgets the session and fetches a fresh token', async () => {
      const { controller, sockets, server } = setup();
      controller.hostConnected();
      await settle();
      sockets[0]?.options.onConnect();
      await settle();
      server.state.user = null;
      server.state.token = 'anon';
      const gets = server.state.sessionGets;
      sockets[0]?.options.onEnded('revoked');
      expect(controller.phase).toBe('signed-out');
      expect(controller.endMessage).toBe('This session was revoked from another device.');
      expect(controller.user).toBeNull();
      expect(controller.sessions).toBeNull();
      await settle();
      expect(server.state.sessionGets).toBe(gets + 1);
      expect(controller.phase).toBe('signed-out');
      expect(controller.endMessage).toBe('This session was revoked from another device.');
    });
  });

  describe('when another tab signs out', () => {
    it('follows with "You signed out in another tab."', async () => {
      const { controller, other, server } = setup();
      controller.hostConnected();
      await settle();
      server.state.user = null;
      other.post({ type: 'ended', reason: 'logout' });
      expect(controller.phase).toBe('signed-out');
      expect(controller.endMessage).toBe('You signed out in another tab.');
    });
  });

  describe('when another tab signs in', () => {
    it('asks the server and shows the signed-in view with a socket', async () => {
      const { controller, other, server, sockets } = setup();
      server.state.user = null;
      controller.hostConnected();
      await settle();
      expect(controller.phase).toBe('signed-out');
      server.state.user = alice;
      server.state.token = 't2';
      other.post({ type: 'signed-in' });
      await settle();
      expect(controller.phase).toBe('signed-in');
      expect(sockets.at(-1)?.options.csrfToken).toBe('t2');
    });
  });

  describe('when this tab signs out', () => {
    it('closes its own socket first, tells the other tabs (no token) and says "You signed out."', async () => {
      const { controller, sockets, otherTab, server } = setup();
      const heard: unknown[] = [];
      otherTab.addEventListener('message', (e) => heard.push(e.data));
      controller.hostConnected();
      await settle();
      const signingOut = controller.signOut();
      expect(sockets[0]?.closed).toBe(true);
      await signingOut;
      expect(server.log).toContain('POST /api/logout [t1]');
      expect(heard).toEqual([{ type: 'ended', reason: 'logout' }]);
      expect(controller.phase).toBe('signed-out');
      expect(controller.endMessage).toBe('You signed out.');
      await settle();
      expect(sockets).toHaveLength(1); // no socket for a signed-out tab
    });
  });

  describe('when the password changed in another tab of this browser (session:renewed)', () => {
    it('refetches the session, asking again with backoff while the server says the new cookie is on its way, then reconnects', async () => {
      const { controller, sockets, server } = setup();
      controller.hostConnected();
      await settle();
      let renewedAnswers = 2;
      server.overrides.set('GET /api/session', () => {
        if (--renewedAnswers === 0) server.overrides.delete('GET /api/session');
        return server.json(409, { error: { code: 'session_renewed', message: 'retry in a moment' } });
      });
      server.state.token = 't-new';
      const gets = server.log.length;
      sockets[0]?.options.onRenewed();
      await vi.advanceTimersByTimeAsync(0);
      expect(server.log.slice(gets)).toEqual(['GET /api/session (background)']); // at once, no fixed wait
      await settle(400);
      expect(server.log.slice(gets).filter((l) => l.startsWith('GET /api/session'))).toHaveLength(3);
      expect(sockets).toHaveLength(2);
      expect(sockets[1]?.options.csrfToken).toBe('t-new');
      expect(controller.phase).toBe('signed-in');
    });
  });

  describe('when an API call answers 401', () => {
    it('treats the session as ended', async () => {
      const { controller, server } = setup();
      controller.hostConnected();
      await settle();
      server.state.user = null;
      await controller.refreshSessions();
      expect(controller.phase).toBe('signed-out');
      expect(controller.endMessage).toBe('Your session has ended. Sign in again to continue.');
    });
  });

  describe('when answers arrive out of order', () => {
    it('only the newest /api/session answer counts', async () => {
      const { controller, server, other } = setup();
      let release: (r: Response) => void = () => {};
      server.overrides.set('GET /api/session', () => {
        server.overrides.delete('GET /api/session');
        // The first answer (signed in) is held back until after a newer one (signed out).
        return new Promise<Response>((r) => (release = r)) as unknown as Response;
      });
      controller.hostConnected();
      server.state.user = null;
      other.post({ type: 'signed-in' }); // a second load, answered at once
      await settle();
      expect(controller.phase).toBe('signed-out');
      release(server.json(200, { user: alice, csrfToken: 'old', idleExpiresAt: later, absoluteExpiresAt: later, idleTimeoutMs: 1_800_000 }));
      await settle();
      expect(controller.phase).toBe('signed-out');
    });
  });

  describe('when the server pushes sessions:changed', () => {
    it('refetches once for a burst, as a background GET (not activity), in any tab', async () => {
      const { controller, sockets, server, win } = setup();
      controller.hostConnected();
      await settle();
      const before = server.state.sessionsGets;
      sockets[0]?.options.onSessionsChanged();
      sockets[0]?.options.onSessionsChanged();
      sockets[0]?.options.onSessionsChanged();
      await settle();
      expect(server.state.sessionsGets).toBe(before + 1);
      // A hidden tab nobody has used for a minute still follows (background GETs keep nothing alive).
      await vi.advanceTimersByTimeAsync(60_000);
      win.document.visibilityState = 'hidden';
      sockets[0]?.options.onSessionsChanged();
      await settle();
      expect(server.state.sessionsGets).toBe(before + 2);
      expect(server.log.filter((l) => l.startsWith('GET /api/sessions'))).toEqual(Array(before + 2).fill('GET /api/sessions (background)'));
    });
  });

  describe('which GET /api/session counts as activity', () => {
    it('the page load does; asking after another tab signed in or the tab was shown does not', async () => {
      const { controller, server, other, win } = setup();
      controller.hostConnected();
      await settle();
      other.post({ type: 'signed-in' });
      await settle();
      win.document.dispatchEvent(new Event('visibilitychange'));
      await settle();
      const sessionGets = server.log.filter((l) => /^GET \/api\/session( |$)/.test(l));
      expect(sessionGets).toEqual(['GET /api/session', 'GET /api/session (background)', 'GET /api/session (background)']);
    });
  });

  describe('when the page goes away', () => {
    it('closes the socket and ignores late answers', async () => {
      const { controller, sockets, host } = setup();
      controller.hostConnected();
      await settle();
      controller.hostDisconnected();
      expect(sockets[0]?.closed).toBe(true);
      const updates = host.requestUpdate.mock.calls.length;
      sockets[0]?.options.onEnded('logout'); // a stale callback from the closed socket
      await settle();
      expect(host.requestUpdate.mock.calls.length).toBe(updates);
    });
  });
});
