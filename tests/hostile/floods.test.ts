// Attacks by volume: event bursts, socket hoarding, handshake floods, reconnect storms, slow bodies, brute force.
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HandshakeRefused, TestBrowser, type TestTab } from '../../server/testing/index.js';
import { errorCode, expectUnharmed, loose, PASSWORD, startArena, uniqueName, type Arena } from './support.js';

/** Tallies acks by outcome: `ok` or the error code. */
const tally = (acks: unknown[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const ack of acks) {
    const a = ack as { ok: boolean; error?: { code: string } };
    const key = a.ok ? 'ok' : (a.error?.code ?? 'malformed');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

/** Opens `n` tabs at once; resolves with the tabs that connected and the refusal codes of the others. */
async function openMany(browser: TestBrowser, n: number, options: Parameters<TestBrowser['openTab']>[0] = {}): Promise<{ tabs: TestTab[]; refusals: Record<string, number> }> {
  const results = await Promise.allSettled(Array.from({ length: n }, () => browser.openTab({ timeoutMs: 5000, ...options })));
  const tabs: TestTab[] = [];
  const refusals: Record<string, number> = {};
  for (const r of results) {
    if (r.status === 'fulfilled') tabs.push(r.value);
    else {
      const code = r.reason instanceof HandshakeRefused ? r.reason.code : String(r.reason);
      refusals[code] = (refusals[code] ?? 0) + 1;
    }
  }
  return { tabs, refusals };
}

describe('with the default limits', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena();
  });
  afterAll(() => arena.close());

  it('10,000 events in a burst: 200 rate_limited acks past the burst, then that socket alone is disconnected', async () => {
    const attacker = await arena.signedIn('attacker');
    const tab = await attacker.openTab();
    const sibling = await attacker.openTab();
    const before = arena.server.tether.sockets.counters.floodDisconnects;
    const acks: unknown[] = [];
    for (let i = 0; i < 10_000; i++) loose(tab).emit('session:touch', {}, (res: unknown) => acks.push(res));
    expect(await tab.disconnected(10_000)).toBe('io server disconnect');
    const counts = tally(acks);
    expect(counts.rate_limited).toBe(200);
    expect(counts.ok ?? 0).toBeLessThanOrEqual(40);
    expect(Object.keys(counts).filter((k) => k !== 'ok' && k !== 'rate_limited')).toEqual([]);
    expect(arena.server.tether.sockets.counters.floodDisconnects).toBe(before + 1);
    // Flooding is the socket's fault, not the session's: the same session's other tab goes on.
    expect(sibling.connected).toBe(true);
    arena.clock.advance(5_000);
    expect(await sibling.touch()).toMatchObject({ ok: true });
    sibling.close();
    await expectUnharmed(arena);
  });

  it('10,000 unknown events without acks: ignored and counted, then the flooding socket is disconnected', async () => {
    const tab = await (await arena.signedIn('attacker')).openTab();
    const unknownBefore = arena.server.tether.sockets.counters.unknownEvents;
    for (let i = 0; i < 10_000; i++) loose(tab).emit('spam', i);
    expect(await tab.disconnected(10_000)).toBe('io server disconnect');
    // The burst (40) was dispatched and counted; everything past it was refused for rate.
    expect(arena.server.tether.sockets.counters.unknownEvents - unknownBefore).toBe(40);
    await expectUnharmed(arena);
  });

  it('a handshake flood from one address: past the burst of 100, connect_error rate_limited, before any store read', async () => {
    arena.clock.advance(10_000); // a full bucket for this address
    const get = vi.spyOn(arena.server.tether.stores.store, 'get');
    try {
      const anonymous = new TestBrowser(arena.server.url);
      // No cookie: each admitted attempt is refused as unauthenticated without reading the store.
      const { tabs, refusals } = await openMany(anonymous, 150, { csrfToken: 'x' });
      expect(tabs).toHaveLength(0);
      expect(refusals).toEqual({ unauthenticated: 100, rate_limited: 50 });
      expect(get).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
    }
    // The bucket refills with time (20 per second): a moment later this address connects again.
    await expectUnharmed(arena);
    const again = await (await arena.signedIn('later')).openTab();
    again.close();
  });

  it('login brute force, 20 guesses in parallel: exactly 5 answered 401, the rest 429 with Retry-After, even the right password', async () => {
    const name = uniqueName('victim');
    expect((await new TestBrowser(arena.server.url).register(name, PASSWORD)).status).toBe(201);
    const attacker = new TestBrowser(arena.server.url);
    await attacker.session();
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => attacker.request('POST', '/api/login', { body: { username: name, password: `guess number ${i}` } })));
    const statuses = guesses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    const limited = guesses.find((r) => r.status === 429)!;
    expect(errorCode(limited.body)).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attacker.request('POST', '/api/login', { body: { username: name, password: PASSWORD } })).status).toBe(429);
    await expectUnharmed(arena);
  });
});

describe('credential stuffing', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena({ LOGIN_FAILURES_PER_IP: '10' });
  });
  afterAll(() => arena.close());

  it('leaked passwords tried against many usernames from one address: 429 past LOGIN_FAILURES_PER_IP failures', async () => {
    const attacker = new TestBrowser(arena.server.url);
    await attacker.session();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await attacker.request('POST', '/api/login', { body: { username: uniqueName('stuffed'), password: `leaked password ${i}` } })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    await expectUnharmed(arena);
  });
});

describe('one session opening 200 sockets', () => {
  let arena: Arena;
  beforeAll(async () => {
    // A generous handshake budget, so that only the socket caps decide.
    arena = await startArena({ HANDSHAKE_BURST_PER_IP: '1000', MAX_SOCKETS_PER_SESSION: '50', MAX_SOCKETS_PER_USER: '60' });
  });
  afterAll(() => arena.close());

  it('gets exactly 50 sockets (MAX_SOCKETS_PER_SESSION); the other 150 handshakes are too_many_sockets, even all at once', async () => {
    const hoarder = await arena.signedIn('hoarder');
    const { tabs, refusals } = await openMany(hoarder, 200);
    expect(tabs).toHaveLength(50);
    expect(refusals).toEqual({ too_many_sockets: 150 });
    for (const tab of tabs) tab.close();
    await expectUnharmed(arena);
  });

  it('a user spreading sockets over several sessions is capped at MAX_SOCKETS_PER_USER across them', async () => {
    const name = uniqueName('spreader');
    const first = new TestBrowser(arena.server.url);
    expect((await first.register(name, PASSWORD)).status).toBe(201);
    const second = new TestBrowser(arena.server.url);
    expect((await second.login(name, PASSWORD)).status).toBe(200);
    const a = await openMany(first, 40);
    const b = await openMany(second, 40);
    expect([a.tabs.length, b.tabs.length]).toEqual([40, 20]);
    expect(b.refusals).toEqual({ too_many_sockets: 20 });
    // A socket closed frees its place.
    a.tabs[0]!.close();
    await a.tabs[0]!.disconnected();
    await vi.waitFor(() => expect(arena.server.tether.io.of('/').sockets.size).toBe(60), { timeout: 2000, interval: 10 });
    const replacement = await second.openTab();
    for (const tab of [...a.tabs, ...b.tabs, replacement]) tab.close();
    await expectUnharmed(arena);
  });
});

describe('an expired session’s reconnect storm', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena({ SESSION_IDLE_TIMEOUT_MS: '60000', HANDSHAKE_BURST_PER_IP: '1000', MAX_SOCKETS_PER_SESSION: '50' });
  });
  afterAll(() => arena.close());

  it('20 tabs get session:ended expired once each; 100 reconnects at once are all session_expired, answered from memory', async () => {
    const victim = await arena.signedIn('victim');
    const { tabs } = await openMany(victim, 20);
    expect(tabs).toHaveLength(20);
    // The bystander stays active; the victim's idle deadline passes.
    arena.clock.advance(30_000);
    expect(await arena.bystander.tab.touch()).toMatchObject({ ok: true });
    arena.clock.advance(30_001);
    expect(await Promise.all(tabs.map((t) => t.ended()))).toEqual(Array(20).fill('expired'));
    const get = vi.spyOn(arena.server.tether.stores.store, 'get');
    try {
      const storm = await openMany(victim, 100);
      expect(storm.tabs).toHaveLength(0);
      expect(storm.refusals).toEqual({ session_expired: 100 });
      // The ended session's tombstone answers: the storm never reaches the store.
      expect(get).not.toHaveBeenCalled();
    } finally {
      get.mockRestore();
    }
    expect(tabs.every((t) => t.endings.length === 1)).toBe(true);
    expect(await arena.server.tether.stores.store.get(victim.sessionId!)).toBeNull();
    await expectUnharmed(arena);
  });
});

describe('slow HTTP requests', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena({ HTTP_REQUEST_TIMEOUT_MS: '400' });
  });
  afterAll(() => arena.close());

  /** Opens a raw TCP connection, writes `head`, and resolves with everything the server sends until it closes. */
  const trickle = (head: string): { socket: TcpSocket; answer: Promise<string> } => {
    const socket = tcpConnect(arena.server.port, '127.0.0.1');
    socket.write(head);
    const answer = new Promise<string>((resolve, reject) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    return { socket, answer };
  };

  it('a body that never finishes arriving is cut off with 408 once HTTP_REQUEST_TIMEOUT_MS passes, while others are served', async () => {
    const { answer } = trickle(`POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":`);
    // While the slow body hangs, everyone else is served.
    expect(await arena.bystander.tab.touch()).toMatchObject({ ok: true });
    expect((await fetch(`${arena.server.url}/healthz`)).status).toBe(200);
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
    await expectUnharmed(arena);
  });

  it('headers that never finish arriving (slowloris) are cut off with 408 too', async () => {
    const { answer } = trickle('GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a');
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
    await expectUnharmed(arena);
  });
});

describe('a flood of signed-out visitors', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena();
  });
  afterAll(() => arena.close());

  it('stores nothing for them, so a signed-in session and its open tab are untouched', async () => {
    const user = await arena.signedIn('resident');
    const tab = await user.openTab();
    const entries = await arena.server.tether.stores.store.count?.();
    const visit = async () => {
      const res = await fetch(`${arena.server.url}/api/session`);
      const body = (await res.json()) as { csrfToken?: string; user?: unknown };
      return { status: res.status, token: body.csrfToken, user: body.user, sid: res.headers.getSetCookie().some((c) => c.startsWith('sid=')) };
    };
    // 2,000 visitors, 100 in flight at a time (one client process opening 2,000 connections at
    // once measures the client's sockets, not the server).
    const visits: Array<Awaited<ReturnType<typeof visit>>> = [];
    for (let batch = 0; batch < 20; batch += 1) visits.push(...(await Promise.all(Array.from({ length: 100 }, visit))));
    expect(visits.every((v) => v.status === 200 && v.user === null && typeof v.token === 'string' && !v.sid)).toBe(true);
    // Every visitor got a token; none of them made a store entry.
    expect(await arena.server.tether.stores.store.count?.()).toBe(entries);
    expect(tab.connected).toBe(true);
    expect(tab.endings).toEqual([]);
    expect((await user.session()).user).not.toBeNull();
    await expectUnharmed(arena);
  });

  it("a visitor's stateless token works for sign-in, and a forged one does not", async () => {
    const visitor = new TestBrowser(arena.server.url);
    await visitor.session();
    const forged = new TestBrowser(arena.server.url);
    forged.cookies.set('csrf', 'made.up');
    expect((await forged.request('POST', '/api/login', { body: { username: 'x', password: 'y' }, headers: { 'x-csrf-token': 'made.up' }, csrf: false })).status).toBe(403);
    expect((await visitor.request('POST', '/api/login', { body: { username: 'nobody-here', password: 'wrong password' } })).status).toBe(401);
  });
});
