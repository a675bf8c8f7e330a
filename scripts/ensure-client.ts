// Builds the client with Vite when dist/client is missing or older than any file under client/ or shared/.
// The staleness rule and the build live in scripts/ensure-built.mjs (plain JS, shared with `npm start`).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePart, isStale } from './ensure-built.mjs';

/** Whether dist/client is missing or older than its sources (client/, shared/, vite.config.ts). */
export function clientIsStale(root = process.cwd()): boolean {
  return isStale('client', root);
}

/**
 * Builds into a directory of its own, then swaps it in (see ensurePart).
 * @example if (await ensureClient()) console.log('client built');
 * @returns whether it built
 */
export async function ensureClient(root = process.cwd()): Promise<boolean> {
  return ensurePart('client', root);
}

// Run as a script: build if needed, say so.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (await ensureClient()) process.stdout.write('client built into dist/client\n');
}
