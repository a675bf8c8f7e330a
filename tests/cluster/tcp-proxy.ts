// A TCP forwarder a test can cut and restore: "the database is down" without touching the real one.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port it listens on (0 until the first start, which takes one from the OS). */
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
  // Port 0 on the first start: a port probed free and listened on later can be taken meanwhile
  // (by any outgoing connection's local port, too). Later starts reuse the port it got.
  let port = 0;
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  return {
    get port() {
      return port;
    },
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
        listening.listen(port, '127.0.0.1', () => {
          port = (listening.address() as AddressInfo).port;
          resolve();
        });
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
