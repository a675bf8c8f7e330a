// Bundles the compiled dashboard server (dist/node/server/main.js, from tsc) into a few files for
// `npm start`: most of a start-up is Node resolving and compiling ~1,500 modules one by one, and
// one bundle of what serving needs, tree-shaken, with the Redis pieces in a chunk of their own
// that only SESSION_STORE=redis loads, starts in about half the CPU and holds less memory (the
// numbers are in bench/README.md). The toolkit's entry points stay plain tsc output in dist/node:
// a library is bundled by the app that installs it, not by us.
// Plain JavaScript, like ensure-built.mjs: it runs before anything else is built.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Resolved from node_modules at run time, as without a bundle: native addons and optional drivers,
 * and iconv-lite (body-parser's charset tables, 0.5 MB of source that only the first request with
 * a body needs; bundled, V8 would hold and pre-parse all of it at start).
 */
const EXTERNAL = ['better-sqlite3', '@node-rs/argon2', 'pg', 'pg-native', 'bufferutil', 'utf-8-validate', 'iconv-lite'];

/**
 * zod's entry points re-export every one of its 60-odd message locales as a namespace (`z.locales`),
 * so a bundle carries all of them (a third of zod's source) although zod itself only ever configures
 * English. The server never reads `z.locales`: this gives that namespace English alone.
 */
const englishZodOnly = {
  name: 'english-zod-only',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}`) ? { path: 'zod-locales', namespace: 'english-zod-only', pluginData: join(args.resolveDir, '..', 'locales') } : undefined);
    // Resolved next to the importer's own locales, so the bundle builds from any working directory.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'english-zod-only' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: args.pluginData,
    }));
  },
};

/**
 * Writes `<distNode>/bundle/main.js` (+ chunks) from `<distNode>/server/main.js`.
 * @example await bundleServer('dist/node');
 * @param {string} distNode the tsc output directory
 */
export async function bundleServer(distNode) {
  // Chunk names carry a content hash: without this, every rebuild would leave the old ones behind.
  rmSync(join(distNode, 'bundle'), { recursive: true, force: true });
  await build({
    entryPoints: [join(distNode, 'server', 'main.js')],
    outdir: join(distNode, 'bundle'),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [englishZodOnly],
    // The CommonJS packages inside the bundle call require(): give the ES module one.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    // V8 keeps the source text of every script in memory, so whitespace and syntax are minified
    // (measured: 6 MB less idle RSS). Identifiers are kept, so an operator's stack trace still
    // names its functions; the linked maps give the positions back.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
}

// As a script: `node scripts/bundle-server.mjs [dist/node]`.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleServer(process.argv[2] ?? 'dist/node');
}
