// `npm start`: builds the client and the server if missing or stale, then runs the compiled server (bundled) with node.
// The builds run in child processes (scripts/ensure-built.mjs), so this process, which becomes the
// server, never loads Vite, TypeScript or tsx.
import { ensureBuilt } from './ensure-built.mjs';

try {
  for (const part of await ensureBuilt()) process.stderr.write(`tether: built the ${part} (it was missing or older than its sources)\n`);
} catch (error) {
  process.stderr.write(`tether: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
// Same as `node dist/node/bundle/main.js` (the bundle of dist/node/server/main.js, see
// scripts/bundle-server.mjs), minus a second Node start.
await import('../dist/node/bundle/main.js');
