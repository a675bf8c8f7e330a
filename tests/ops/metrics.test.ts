// GET /metrics through a real server: counters move with real handshakes, sign-outs and live joins.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { sample, scrape } from './scrape.js';
import { boardSchemas } from '../../shared/views/board.js';

const PASSWORD = 'correct horse battery';
let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('when tabs open, are refused and end on a localhost node', () => {
  it('counts handshakes by outcome, ends by reason, sockets, store calls and live joins', async () => {
    server = await startDashboard();
    const before = await scrape(server.url);
    expect(sample(before, 'tether_handshakes_total', { outcome: 'admitted' })).toBe(0);
    expect(sample(before, 'tether_handshakes_total', { outcome: 'draining' })).toBe(0);

    const alice = server.browser();
    await alice.register('alice', PASSWORD);
    const [tab1, tab2] = await Promise.all([alice.openTab(), alice.openTab()]);
    expect(await alice.refusedTab({ csrfToken: 'wrong' })).toBe('csrf_invalid');
    expect(await alice.refusedTab({ origin: 'https://evil.example' })).toBe('origin_not_allowed');
    expect(await server.browser().refusedTab()).toBe('unauthenticated');
    await tab1!.join(boardSchemas);

    const open = await scrape(server.url);
    expect(sample(open, 'tether_handshakes_total', { outcome: 'admitted' })).toBe(2);
    expect(sample(open, 'tether_handshakes_total', { outcome: 'csrf_invalid' })).toBe(1);
    expect(sample(open, 'tether_handshakes_total', { outcome: 'origin_not_allowed' })).toBe(1);
    expect(sample(open, 'tether_handshakes_total', { outcome: 'unauthenticated' })).toBe(1);
    expect(sample(open, 'tether_sockets')).toBe(2);
    expect(sample(open, 'tether_sessions_with_sockets')).toBe(1);
    expect(sample(open, 'tether_live_joins_total', { view: 'board' })).toBe(1);
    // Each admitted handshake is one store update (the touch); the refused csrf one reads too.
    expect(sample(open, 'tether_store_call_seconds_count', { op: 'store.update' })).toBeGreaterThanOrEqual(3);
    expect(sample(open, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);

    const patched = tab1!.patch(boardSchemas);
    expect((await tab1!.liveEvent(boardSchemas, 'bump', { by: 1 })).ok).toBe(true);
    await patched;
    await alice.logout();
    expect([await tab1!.ended(), await tab2!.ended()]).toEqual(['logout', 'logout']);
    const after = await scrape(server.url);
    expect(sample(after, 'tether_sessions_ended_total', { reason: 'logout' })).toBe(1);
    expect(sample(after, 'tether_sessions_ended_total', { reason: 'revoked' })).toBe(0);
    expect(sample(after, 'tether_end_to_last_socket_seconds_count')).toBe(1);
    expect(sample(after, 'tether_live_patches_total', { view: 'board' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'tether_store_call_seconds_count', { op: 'store.destroy' })).toBe(1);
    expect(sample(after, 'tether_sockets')).toBe(0);
  });
});

describe('a scrape while sockets come and go', () => {
  // Node 20's process._getActiveHandles() aborts the process when it meets a handle whose JS owner
  // is gone (a CI run died in a scrape that way), so a scrape must never walk that list.
  it('never walks the process handle or request lists, and still reports live resources by type', async () => {
    server = await startDashboard();
    // Undocumented in @types/node, so typed here.
    const internals = process as NodeJS.Process & { _getActiveHandles(): unknown[]; _getActiveRequests(): unknown[] };
    const walks = [vi.spyOn(internals, '_getActiveHandles'), vi.spyOn(internals, '_getActiveRequests')];
    try {
      const alice = server.browser();
      await alice.register('alice', PASSWORD);
      const tab = await alice.openTab();
      const text = await scrape(server.url);
      tab!.close();
      await scrape(server.url);
      for (const walk of walks) expect(walk).not.toHaveBeenCalled();
      expect(sample(text, 'nodejs_active_resources_total')).toBeGreaterThan(0);
      expect(text).not.toMatch(/^nodejs_active_handles/m);
    } finally {
      for (const walk of walks) walk.mockRestore();
    }
  });
});

describe('who may read /metrics', () => {
  it('is 404 when PUBLIC_URL is not localhost and no METRICS_TOKEN is set', async () => {
    server = await startDashboard({ env: { PUBLIC_URL: 'https://app.example.com' } });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('needs the bearer token whenever METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    server = await startDashboard({ env: { PUBLIC_URL: 'https://app.example.com', METRICS_TOKEN: token } });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    const text = await scrape(server.url, token);
    expect(sample(text, 'tether_handshakes_total', { outcome: 'admitted' })).toBe(0);
  });
});

describe('readiness', () => {
  it('is 200 once listening and 503 from the moment draining starts, when handshakes get draining', async () => {
    server = await startDashboard({ env: { DRAIN_MS: '0' } });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const alice = server.browser();
    await alice.register('alice', PASSWORD);
    const tab = await alice.openTab();
    const moved = new Promise<void>((resolve) => tab.socket.once('server:moving', () => resolve()));
    void server.tether.drain.start();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    await moved;
    expect(await tab.disconnected()).toBe('io server disconnect');
    expect(await alice.refusedTab()).toBe('draining');
    expect(sample(await scrape(server.url), 'tether_handshakes_total', { outcome: 'draining' })).toBe(1);
    // The session is untouched: the API still knows alice with the same cookie.
    const me = await alice.request('GET', '/api/session');
    expect((me.body as { user: { username: string } | null }).user?.username).toBe('alice');
  });
});
