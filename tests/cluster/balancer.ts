// A TCP load balancer of the test's own: each new connection goes to the next node whose /readyz is 200.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Balancer {
  readonly port: number;
  readonly url: string;
  /** Connections opened to each upstream port, in total. */
  readonly routed: Map<number, number>;
  close(): Promise<void>;
}

async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) })).status === 200;
  } catch {
    return false;
  }
}

/**
 * Round-robin over the ready nodes, asking each `/readyz` as a connection arrives (a real balancer
 * polls; asking per connection only makes the test's timing exact). A connection that finds no
 * ready node is closed. Upgrades pass through untouched: it forwards bytes.
 * It listens on a port of the OS's choosing (`port` 0): start it before the nodes, which need its
 * URL as their allowed origin, and have `upstreams` read them once they exist.
 * @example const lb = await startBalancer(() => nodes.map((n) => n.port)); ... await lb.close();
 */
export async function startBalancer(upstreams: () => number[], port = 0): Promise<Balancer> {
  const sockets = new Set<Socket>();
  const routed = new Map<number, number>();
  let next = 0;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const pick = async (): Promise<number | undefined> => {
    const all = upstreams();
    const ready = (await Promise.all(all.map(async (p) => ((await isReady(p)) ? p : undefined)))).filter((p): p is number => p !== undefined);
    if (ready.length === 0) return undefined;
    next = (next + 1) % ready.length;
    return ready[next];
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    void pick().then((target) => {
      if (target === undefined || client.destroyed) {
        client.destroy();
        return;
      }
      routed.set(target, (routed.get(target) ?? 0) + 1);
      const upstream = connect(target, '127.0.0.1');
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const listening = (server.address() as AddressInfo).port;
  return {
    port: listening,
    url: `http://127.0.0.1:${listening}`,
    routed,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
