// The soak's server child: a tether server on port 0 reporting its own counters over IPC.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tether } from '../server/app.js';

/** What the server child reports about itself. */
export interface ServerStats {
  heapUsedMb: number;
  rssMb: number;
  sockets: number;
  rooms: number;
  sessionsWithTimers: number;
  tombstones: number;
  registry: number;
  storeEntries: number;
  activeTimeouts: number;
  handles: Record<string, number>;
}

export type FromChild = { type: 'ready'; port: number } | { type: 'stats'; stats: ServerStats };


async function serve(env: Record<string, string>): Promise<void> {
  const { createTether } = await import('../server/app.js');
  const { parseConfig } = await import('../server/config.js');
  const { createHasher } = await import('../server/auth/passwords.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-soak-'));
  const config = parseConfig({ ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  const origins = new Set<string>();
  config.allowedOrigins = origins;
  // Cheap hashing: 10,000 sign-ins of OWASP-strength argon2id would measure argon2, not sessions.
  const tether = await createTether({ config, hasher: createHasher({ memoryCost: 1024, timeCost: 1 }), staticDir: join(dataDir, 'no-client') });
  const { port } = await tether.listen(0, '127.0.0.1');
  origins.add(`http://127.0.0.1:${port}`);
  const send = (message: FromChild): void => void process.send?.(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') void stats(tether).then((s) => send({ type: 'stats', stats: s }));
    if (message.type === 'stop') {
      void tether.close().then(() => {
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
    }
  });
  send({ type: 'ready', port });
}

async function stats(tether: Tether): Promise<ServerStats> {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Several passes, with turns of the event loop between them, so that finalizers and weak refs settle.
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  const memory = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  const registry = tether.stores.registry as { size?: number };
  const storeEntries = (await tether.stores.store.count?.()) ?? -1;
  return {
    heapUsedMb: round(memory.heapUsed / 2 ** 20),
    rssMb: round(memory.rss / 2 ** 20),
    sockets: tether.io.of('/').sockets.size,
    rooms: tether.io.of('/').adapter.rooms.size,
    sessionsWithTimers: tether.lifecycle.stats().sessionsWatched,
    tombstones: tether.lifecycle.stats().tombstones,
    registry: registry.size ?? -1,
    storeEntries,
    activeTimeouts: handles.Timeout ?? 0,
    handles,
  };
}

const round = (n: number): number => Math.round(n * 10) / 10;

serve(process.env as Record<string, string>).catch((error: unknown) => {
  process.stderr.write(`soak server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
