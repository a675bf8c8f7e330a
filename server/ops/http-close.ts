// Closing the HTTP server on shutdown: no new connection, the requests in flight answer (within a grace), then it is closed.
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Clock } from '../sessions/index.js';

export interface GracefulHttpCloseOptions {
  clock: Clock;
  /**
   * How long the requests in flight may still take once the close began (default 10 s: above the
   * longest a request does here, a Redis call waiting its turn at the call gate and then its own
   * bound). A request still running then has its connection cut, so one handler that never
   * answers cannot hold the node up until the orchestrator kills it.
   */
  graceMs?: number;
}

/**
 * Tracks the requests of `server` from now on; the returned function stops listening and
 * resolves, with the number of requests it had to cut off, once every request in flight has
 * answered (or the grace is over) and every connection is closed. Node's own `server.close()`
 * closes the connections idle at that moment only: a keep-alive connection whose request answers
 * later would hold the close open for the keep-alive timeout. So each answer from then on says
 * `Connection: close`, and a connection idle after its answer goes at once.
 * @example const closeHttp = gracefulHttpClose(httpServer, { clock }); ...; const cut = await closeHttp();
 */
export function gracefulHttpClose(server: HttpServer, { clock, graceMs = 10_000 }: GracefulHttpCloseOptions): () => Promise<number> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const lastAnswer = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) lastAnswer(res);
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });
  return () => {
    closing = true;
    for (const res of inFlight) lastAnswer(res);
    let cut = 0;
    const grace = clock.setTimeout(() => {
      cut = inFlight.size;
      server.closeAllConnections();
    }, graceMs);
    return new Promise((resolve) =>
      server.close(() => {
        clock.clearTimeout(grace);
        resolve(cut);
      }),
    );
  };
}
