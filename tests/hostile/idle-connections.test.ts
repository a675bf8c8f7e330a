// Idle and half-open TCP connections are reaped within HTTP_IDLE_TIMEOUT_MS; WebSocket and long-polling tabs are not cut.
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_PATH } from '../../shared/events.js';
import { expectUnharmed, startArena, type Arena } from './support.js';

const IDLE_MS = 1000;

/** Opens a raw connection, writes `head` (if any) once connected, and records when the server closes it. */
function rawConnection(port: number, head: string | undefined, openedAt: number): { socket: TcpSocket; closedAfter: Promise<number> } {
  const socket = tcpConnect(port, '127.0.0.1', () => {
    if (head !== undefined) socket.write(head);
  });
  socket.on('data', () => {});
  const closedAfter = new Promise<number>((resolve, reject) => {
    socket.once('close', () => resolve(Date.now() - openedAt));
    socket.once('error', reject);
  });
  return { socket, closedAfter };
}

describe(`with HTTP_IDLE_TIMEOUT_MS=${IDLE_MS}, 200 connections that never finish a request`, () => {
  let arena: Arena;
  let polling: Socket | undefined;
  beforeAll(async () => {
    arena = await startArena({ HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  });
  afterAll(async () => {
    polling?.close();
    await arena.close();
  });

  it('are all closed by the server within the bound, while a WebSocket tab and a long-polling tab stay connected and working', { timeout: 30_000 }, async () => {
    // A long-polling tab: its pending GET waits for data longer than the idle bound.
    const browser = await arena.signedIn('poller');
    polling = connectSocket(arena.server.url, {
      path: SOCKET_PATH,
      transports: ['polling'],
      extraHeaders: { cookie: browser.cookieHeader },
      auth: { csrfToken: browser.csrfToken },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      polling!.once('connect', resolve);
      polling!.once('connect_error', reject);
    });
    const pollingId = polling.id;
    const disconnects: string[] = [];
    polling.on('disconnect', (reason) => disconnects.push(reason));
    const webSocketTab = arena.bystander.tab;

    const openedAt = Date.now();
    const connections = [
      // Nothing at all.
      ...Array.from({ length: 100 }, () => rawConnection(arena.server.port, undefined, openedAt)),
      // Half a request head (half-open as far as HTTP goes).
      ...Array.from({ length: 50 }, () => rawConnection(arena.server.port, 'GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: a', openedAt)),
      // One whole request, answered, then idle on keep-alive.
      ...Array.from({ length: 50 }, () => rawConnection(arena.server.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', openedAt)),
    ];
    try {
      // Waits for the server to close every one (the test's own timeout is the backstop).
      const closedAfter = await Promise.all(connections.map((c) => c.closedAfter));
      // Reaped by the idle bound, not at once: and all of them within it plus the check interval
      // (a quarter of it) and generous slack for a loaded machine.
      expect(Math.min(...closedAfter)).toBeGreaterThanOrEqual(IDLE_MS * 0.9);
      expect(Math.max(...closedAfter)).toBeLessThan(IDLE_MS * 1.25 + 3000);
    } finally {
      for (const c of connections) c.socket.destroy();
    }

    // The tabs outlived the bound without a disconnect and still answer.
    expect(disconnects).toEqual([]);
    expect(polling.connected).toBe(true);
    expect(polling.id).toBe(pollingId);
    expect(polling.io.engine.transport.name).toBe('polling');
    expect(await polling.timeout(3000).emitWithAck('session:touch', {})).toMatchObject({ ok: true });
    expect(webSocketTab.socket.io.engine.transport.name).toBe('websocket');
    await expectUnharmed(arena);
  });
});
