// Entry point and the only reader of process.env: config → createTether → listen.
import { ConfigError, parseConfig } from './config.js';
import { drainAndClose } from './ops/shutdown.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tether: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Loaded only once the configuration is known to be good: a bad value fails in a blink, before
  // Express, Socket.IO and the database drivers are even loaded.
  const { createTether } = await import('./app.js');
  const tether = await createTether({ config });
  const { url, port } = await tether.listen();
  tether.log.info({ url, publicUrl: config.publicUrl.href, store: config.sessionStore, database: config.databaseUrl ? 'postgres' : 'sqlite' }, 'tether listening');
  // A plain line for whoever typed `npm start` (the JSON line above is for log collectors).
  process.stdout.write(`tether: open ${process.env.PUBLIC_URL ? config.publicUrl.href.replace(/\/$/, '') : `http://localhost:${port}`}\n`);
  const stop = (signal: string): void => {
    tether.log.info({ signal }, 'shutting down');
    void tether.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  // A rolling restart: readiness off, sockets moved to other nodes over DRAIN_MS, then exit 0.
  process.once('SIGTERM', () => {
    tether.log.info({ signal: 'SIGTERM', drainMs: config.drainMs }, 'draining, then shutting down');
    void drainAndClose(tether).then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`tether: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
