// Closing the HTTP server on shutdown: no new connection, the requests in flight answer, then it is closed.
import type { Server as HttpServer, ServerResponse } from 'node:http';

/**
 * Tracks the requests of `server` from now on; the returned function stops listening and
 * resolves once every request in flight has answered and every connection is closed. Node's own
 * `server.close()` closes the connections idle at that moment only: a keep-alive connection
 * whose request answers later would hold the close open for the keep-alive timeout. So each
 * answer from then on says `Connection: close`, and a connection idle after its answer goes at once.
 * @example const closeHttp = gracefulHttpClose(httpServer); ...; await closeHttp();
 */
export function gracefulHttpClose(server: HttpServer): () => Promise<void> {
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
    return new Promise((resolve) => server.close(() => resolve()));
  };
}
