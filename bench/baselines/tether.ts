// The product under test, started as main.ts starts it (createTether + parseConfig), with caps and
// registration limits raised for the load and a cheap password hash (argon2's cost is not measured).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTether } from '../../server/app.js';
import { parseConfig, type Env } from '../../server/config.js';
import { createHasher } from '../../server/auth/passwords.js';
import type { RunningServer } from './running.js';

/** Environment every bench tether gets unless the scenario overrides it. */
export const BENCH_TETHER_ENV: Readonly<Record<string, string>> = {
  MAX_SOCKETS_PER_SESSION: '100000',
  MAX_SOCKETS_PER_USER: '1000000',
  REGISTRATIONS_PER_IP: '1000000',
  LOGIN_FAILURES_PER_IP: '1000000',
  // Every bench client is 127.0.0.1: the per-IP handshake limit would refuse the load itself. The
  // limiter still runs on every handshake, so its cost is measured.
  HANDSHAKES_PER_IP_PER_SECOND: '1000000',
  HANDSHAKE_BURST_PER_IP: '1000000',
  SOCKET_EVENTS_PER_SECOND: '1000000',
  SOCKET_EVENT_BURST: '1000000',
  // The production default: logging cost is part of the product. The child's stdout is discarded.
  LOG_LEVEL: 'info',
};

/**
 * @example const server = await startTether({ SESSION_IDLE_TIMEOUT_MS: '5000' });
 */
export async function startTether(env: Env = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-bench-'));
  const config = parseConfig({ ...BENCH_TETHER_ENV, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env });
  // Port 0: the origin is known only after listening, so the allowlist is filled in then.
  const origins = new Set<string>();
  config.allowedOrigins = origins;
  const tether = await createTether({ config, hasher: createHasher({ memoryCost: 1024, timeCost: 1 }), staticDir: join(dataDir, 'no-client') });
  const { port } = await tether.listen(0, '127.0.0.1');
  origins.add(`http://127.0.0.1:${port}`);
  return {
    port,
    socketCount: () => tether.io.of('/').sockets.size,
    async close() {
      await tether.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
