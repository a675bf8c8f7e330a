// Builds the client (Vite → dist/client) and the server (tsc → dist/node, then bundled into dist/node/bundle) when missing or older than their sources.
// Plain JavaScript on purpose: `npm start` runs it with node before the compiled server, with no tsx,
// and the builders run in child processes so that neither Vite nor TypeScript is ever loaded in the
// process that goes on to serve.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Newest modification time (ms) of a file or of any file under a directory; 0 when it is missing. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/** What each build reads, and the file whose age says when it last finished. */
const PARTS = {
  client: { built: 'dist/client/index.html', target: 'dist/client', sources: ['client', 'shared', 'vite.config.ts', 'package.json'] },
  server: { built: 'dist/node/bundle/main.js', target: 'dist/node', sources: ['server', 'shared', 'client/toolkit', 'tsconfig.json', 'tsconfig.build.json', 'package.json'] },
};

/**
 * Whether a part is missing or older than any of its sources.
 * @example if (isStale('server')) console.log('dist/node is out of date');
 * @param {'client' | 'server'} part
 * @param {string} [root]
 * @returns {boolean}
 */
export function isStale(part, root = process.cwd()) {
  const { built, sources } = PARTS[part];
  const file = join(root, built);
  if (!existsSync(file)) return true;
  return statSync(file).mtimeMs < Math.max(...sources.map((source) => newest(join(root, source))));
}

/** The JS file of a package's command (e.g. vite's `vite`), resolved from the project. */
function binOf(root, pkg, command) {
  const require = createRequire(join(root, 'package.json'));
  let manifest;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new Error(`${pkg} is not installed (it is a devDependency: run npm install) and dist is missing or stale`);
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[command]);
}

/** Runs node on a script, its output on our stderr (stdout stays the server's log lines). */
function run(root, args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolveRun() : reject(new Error(`${args.slice(0, 2).join(' ')} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** The commands, one after the other, that build a part into `outDir`. */
function builders(part, root, outDir) {
  if (part === 'client') return [[binOf(root, 'vite', 'vite'), 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', outDir]];
  return [
    [binOf(root, 'typescript', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    [join(root, 'scripts', 'bundle-server.mjs'), outDir],
  ];
}

/**
 * Builds one part into a directory of its own, then swaps it in: a server serving the old one
 * meanwhile (or another build running at the same time) never sees a half-written one.
 * @example if (await ensurePart('client')) console.log('client built');
 * @param {'client' | 'server'} part
 * @param {string} [root]
 * @returns {Promise<boolean>} whether it built
 */
export async function ensurePart(part, root = process.cwd()) {
  if (!isStale(part, root)) return false;
  const target = join(root, PARTS[part].target);
  const fresh = `${target}.build-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  try {
    for (const args of builders(part, root, fresh)) await run(root, args);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) renameSync(target, old);
  try {
    renameSync(fresh, target);
  } catch (error) {
    // Another build (a second start or test run) swapped its own in meanwhile: it is as fresh as ours.
    if (!existsSync(join(root, PARTS[part].built))) throw error;
    rmSync(fresh, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return true;
}

/**
 * Builds whichever of the client and the server is missing or stale (one after the other: two
 * cores are better spent on one build at a time).
 * @example const built = await ensureBuilt(); // e.g. ['server']
 * @param {ReadonlyArray<'client' | 'server'>} [parts]
 * @param {string} [root]
 * @returns {Promise<Array<'client' | 'server'>>} the parts it built
 */
export async function ensureBuilt(parts = ['client', 'server'], root = process.cwd()) {
  const built = [];
  for (const part of parts) if (await ensurePart(part, root)) built.push(part);
  return built;
}

// As a script: `node scripts/ensure-built.mjs [client] [server]` (both by default).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2).filter((arg) => arg === 'client' || arg === 'server');
  try {
    for (const part of await ensureBuilt(asked.length > 0 ? asked : undefined)) process.stderr.write(`built ${PARTS[part].target}\n`);
  } catch (error) {
    process.stderr.write(`tether: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
