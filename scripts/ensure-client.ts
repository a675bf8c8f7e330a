// Builds the client with Vite when dist/client is missing or older than any file under client/ or shared/.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

/** Whether dist/client is missing or older than its sources (client/, shared/, vite.config.ts). */
export function clientIsStale(root = process.cwd()): boolean {
  const built = join(root, 'dist/client/index.html');
  const sources = Math.max(newest(join(root, 'client')), newest(join(root, 'shared')), statSync(join(root, 'vite.config.ts')).mtimeMs);
  return !existsSync(built) || statSync(built).mtimeMs < sources;
}

/**
 * Builds into a directory of its own, then swaps it in: a server serving dist/client meanwhile (or
 * another build running at the same time) never sees a half-written one.
 * @example if (await ensureClient()) console.log('client built');
 * @returns whether it built
 */
export async function ensureClient(root = process.cwd()): Promise<boolean> {
  if (!clientIsStale(root)) return false;
  const target = join(root, 'dist/client');
  const fresh = `${target}.build-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  await build({ root: join(root, 'client'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  if (existsSync(target)) renameSync(target, old);
  try {
    renameSync(fresh, target);
  } catch (error) {
    // Another build (a second test run) swapped its own in meanwhile: it is as fresh as ours.
    if (!existsSync(join(target, 'index.html'))) throw error;
    rmSync(fresh, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return true;
}

// Run as a script (`npm start` does): build if needed, say so.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (await ensureClient()) process.stdout.write('client built into dist/client\n');
}
