// `npm run dev`: the server (tsx watch, restarts on change) and Vite (hot reload) side by side, the
// server allowing the Vite origin to open sockets. Production defaults stay as they are: only this
// process tree gets the wider ALLOWED_ORIGINS.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Env = Record<string, string | undefined>;

/** The ports of the dev setup: the server's `PORT` (3000) and Vite's `VITE_PORT` (5173). */
export function devPorts(env: Env): { serverPort: number; vitePort: number } {
  return { serverPort: Number(env.PORT ?? 3000), vitePort: Number(env.VITE_PORT ?? 5173) };
}

/**
 * The server's environment in dev: the origins it allows by default (or the ones given) plus the
 * Vite origin under both names a developer may open, since the page then comes from Vite.
 * @example devServerEnv({}).ALLOWED_ORIGINS
 *          // 'http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173,http://127.0.0.1:5173'
 */
export function devServerEnv(env: Env): Env {
  const { serverPort, vitePort } = devPorts(env);
  const given = env.ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter((o) => o !== '');
  const defaults = [env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : null, `http://localhost:${serverPort}`, `http://127.0.0.1:${serverPort}`];
  const vite = [`http://localhost:${vitePort}`, `http://127.0.0.1:${vitePort}`];
  const origins = new Set([...(given ?? defaults), ...vite].filter((o): o is string => o !== null));
  // PUBLIC_URL: the page comes from Vite, so that is the URL the server's start line tells to open.
  return { PUBLIC_URL: `http://localhost:${vitePort}`, ...env, PORT: String(serverPort), ALLOWED_ORIGINS: [...origins].join(',') };
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const bin = (name: string) => join(root, 'node_modules/.bin', name);
  const { vitePort } = devPorts(process.env);
  const children: ChildProcess[] = [
    spawn(bin('tsx'), ['watch', 'server/main.ts'], { cwd: root, env: devServerEnv(process.env), stdio: 'inherit' }),
    // --strictPort: a Vite that moved to another port would be an origin the server does not allow.
    spawn(bin('vite'), ['--port', String(vitePort), '--strictPort'], { cwd: root, env: process.env, stdio: 'inherit' }),
  ];
  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    process.exitCode = code;
  };
  // One of them gone (a crash, a taken port) leaves no half dev setup behind.
  for (const child of children) child.on('exit', (code) => stop(code ?? 1));
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
