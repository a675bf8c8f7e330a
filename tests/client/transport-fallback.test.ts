// The live socket's real Socket.IO client against a server that cannot upgrade: long-polling, end of session, retries.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { openLiveSocket, openSocketIo, type LiveSocket, type LiveSocketHandlers, type TetherClientSocket } from '../../client/toolkit/index.js';
import { SOCKET_PATH } from '../../shared/constants.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';
import { RETRYABLE_REFUSALS, type HandshakeRefusal } from '../../shared/reasons.js';

type TetherServer = Server<ClientToServerEvents, ServerToClientEvents>;

interface Rig {
  io: TetherServer;
  url: string;
  /** Sockets the server admitted, in order. */
  admitted: ServerSocket[];
  /** Engine.io upgrade requests the HTTP server saw (each refused). */
  upgradeAttempts: number;
}

let rigs: Array<{ http: HttpServer; io: TetherServer }> = [];
let lives: LiveSocket[] = [];

afterEach(async () => {
  for (const live of lives) live.close();
  lives = [];
  await Promise.all(
    rigs.map(({ http, io }) => {
      const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
      http.closeAllConnections(); // idle keep-alive polling connections would hold close() open
      return closed;
    }),
  );
  rigs = [];
});

/**
 * A Socket.IO server that refuses every WebSocket (as a proxy that does not forward upgrades):
 * engine.io with only the polling transport, and every upgrade answered 403. `refuse` decides, per
 * handshake, a refusal code for the client (or null to admit).
 */
async function startNoUpgradeServer(refuse: (attempt: number) => HandshakeRefusal | null = () => null): Promise<Rig> {
  const http = createServer();
  const io: TetherServer = new Server(http, { path: SOCKET_PATH, transports: ['polling'] });
  const rig: Rig = { io, url: '', admitted: [], upgradeAttempts: 0 };
  // engine.io has no upgrade handler of its own here (polling only): this one refuses, as the proxy would.
  http.on('upgrade', (_req, socket: Duplex) => {
    rig.upgradeAttempts += 1;
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  let attempts = 0;
  io.use((_socket, next) => {
    attempts += 1;
    const code = refuse(attempts);
    next(code === null ? undefined : Object.assign(new Error(code), { data: { code } }));
  });
  io.on('connection', (socket) => void rig.admitted.push(socket));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  rig.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  rigs.push({ http, io });
  return rig;
}

function connectLive(rig: Rig) {
  const handlers = {
    onConnect: vi.fn<LiveSocketHandlers['onConnect']>(),
    onEnded: vi.fn<LiveSocketHandlers['onEnded']>(),
    onRenewed: vi.fn<LiveSocketHandlers['onRenewed']>(),
    onDeadlines: vi.fn<LiveSocketHandlers['onDeadlines']>(),
    onSessionsChanged: vi.fn<LiveSocketHandlers['onSessionsChanged']>(),
    onRefused: vi.fn<LiveSocketHandlers['onRefused']>(),
    onPatch: vi.fn<LiveSocketHandlers['onPatch']>(),
    onDisconnect: vi.fn<LiveSocketHandlers['onDisconnect']>(),
  };
  const holder: { socket: TetherClientSocket | null } = { socket: null };
  const backoff = vi.fn((tries: number) => tries * 5);
  const live = openLiveSocket({
    csrfToken: 'tok',
    backoff,
    open: (auth) => (holder.socket = openSocketIo(auth, rig.url)),
    ...handlers,
  });
  lives.push(live);
  const transport = (): string | undefined => holder.socket?.io.engine?.transport.name;
  return { live, handlers, backoff, transport };
}

describe('when the WebSocket upgrade is refused', () => {
  it('connects over long-polling at once, after one refused WebSocket try', async () => {
    const rig = await startNoUpgradeServer();
    const { live, handlers, transport } = connectLive(rig);
    await vi.waitFor(() => expect(handlers.onConnect).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(live.connected).toBe(true);
    expect(transport()).toBe('polling');
    expect(rig.upgradeAttempts).toBeGreaterThanOrEqual(1);
    expect(handlers.onRefused).not.toHaveBeenCalled();
  });

  it('hears session:ended over long-polling and never reconnects after it', async () => {
    const rig = await startNoUpgradeServer();
    const { handlers } = connectLive(rig);
    await vi.waitFor(() => expect(rig.admitted).toHaveLength(1), { timeout: 5000 });
    rig.admitted[0]?.emit('session:ended', { reason: 'logout' });
    rig.admitted[0]?.disconnect(true);
    await vi.waitFor(() => expect(handlers.onEnded).toHaveBeenCalledWith('logout', undefined), { timeout: 5000 });
    // A reconnect would be a second admitted socket; a fresh polling round trip proves none is under way.
    const probe = await startNoUpgradeServer();
    const other = connectLive(probe);
    await vi.waitFor(() => expect(other.handlers.onConnect).toHaveBeenCalled(), { timeout: 5000 });
    expect(rig.admitted).toHaveLength(1);
    expect(handlers.onDisconnect).not.toHaveBeenCalled();
  });

  it('reconnects after a drop with the backoff, over long-polling again', async () => {
    const rig = await startNoUpgradeServer();
    const { handlers, backoff, transport } = connectLive(rig);
    await vi.waitFor(() => expect(rig.admitted).toHaveLength(1), { timeout: 5000 });
    rig.admitted[0]?.disconnect(true); // dropped without session:ended (e.g. a server restart)
    await vi.waitFor(() => expect(handlers.onConnect).toHaveBeenCalledTimes(2), { timeout: 5000 });
    expect(handlers.onDisconnect).toHaveBeenCalledTimes(1);
    expect(backoff).toHaveBeenCalledWith(1);
    expect(rig.admitted).toHaveLength(2);
    expect(transport()).toBe('polling');
  });

  it.each([...RETRYABLE_REFUSALS])('retries the retryable refusal %s with the backoff, over long-polling', async (code) => {
    const rig = await startNoUpgradeServer((attempt) => (attempt <= 2 ? code : null));
    const { handlers, backoff, transport } = connectLive(rig);
    await vi.waitFor(() => expect(handlers.onConnect).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(backoff.mock.calls).toEqual([[1], [2]]);
    expect(transport()).toBe('polling');
    expect(handlers.onRefused).not.toHaveBeenCalled();
  });

  it('gives up on a final refusal, as over WebSocket', async () => {
    const rig = await startNoUpgradeServer(() => 'unauthenticated');
    const { handlers, backoff } = connectLive(rig);
    await vi.waitFor(() => expect(handlers.onRefused).toHaveBeenCalledWith('unauthenticated'), { timeout: 5000 });
    expect(backoff).not.toHaveBeenCalled();
  });
});
