// A TCP forwarder a test can cut and restore: "the database is down" without touching the real one.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '../support/services.js';

export interface TcpProxy {
  readonly port: number;
  /** Starts forwarding (again) on the same port. */
  start(): Promise<void>;
  /** Drops every connection and refuses new ones. */
  stop(): Promise<void>;
}

/**
 * @example const proxy = await tcpProxy(5432); await proxy.start(); // postgres://…@127.0.0.1:${proxy.port}/test
 */
export async function tcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    port,
    start() {
      const listening = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server = listening;
      return new Promise((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, '127.0.0.1', () => resolve());
      });
    },
    stop() {
      const listening = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => (listening ? listening.close(() => resolve()) : resolve()));
    },
  };
}
