// Baseline (a): plain Socket.IO with no session at all, as `new Server(httpServer)` gives it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { RunningServer } from './running.js';

/** The event the bench acks against: the cheapest round trip Socket.IO has. */
export const PLAIN_ACK_EVENT = 'echo';

/**
 * @example const server = await startPlain(); // ws://127.0.0.1:<port>/socket.io
 */
export async function startPlain(port = 0): Promise<RunningServer> {
  const httpServer = createServer();
  const io = new Server(httpServer);
  io.on('connection', (socket) => {
    socket.on(PLAIN_ACK_EVENT, (_payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  return {
    port: (httpServer.address() as AddressInfo).port,
    socketCount: () => io.of('/').sockets.size,
    close: () => new Promise((resolve) => io.close(() => resolve())),
  };
}
