// How the bench starts each server: the one place that says which command runs tether (tsx or the
// compiled build, as `npm start` does) and how the bench's own server children are built.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root (this file is bench/launch.ts). */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** tsx: the TypeScript sources through the tsx loader; compiled: the build `npm start` runs with node. */
export type Runtime = 'tsx' | 'compiled';

export interface RuntimeLaunch {
  /** Node flags that load the product this way (the tsx loader, or nothing). */
  nodeArgs: readonly string[];
  /** The entry `npm start` runs: the server's main module, relative to the repository root. */
  main: string;
  /** The modules the bench's measured child imports (createTether, parseConfig, createHasher). */
  modules: { app: string; config: string; passwords: string };
}

/**
 * Switch here when the build's layout changes: every scenario, the startup measurement and the
 * reconnect storm take their command from this table.
 */
export const RUNTIMES: Readonly<Record<Runtime, RuntimeLaunch>> = {
  tsx: {
    nodeArgs: ['--import', 'tsx'],
    main: 'server/main.ts',
    modules: { app: 'server/app.ts', config: 'server/config.ts', passwords: 'server/auth/passwords.ts' },
  },
  compiled: {
    nodeArgs: [],
    main: 'dist/node/bundle/main.js',
    modules: { app: 'dist/node/server/app.js', config: 'dist/node/server/config.js', passwords: 'dist/node/server/auth/passwords.js' },
  },
};

/** What the compiled build is made from: a build older than any of these measures old code. */
const BUILD_SOURCES = ['server', 'shared', 'client/toolkit', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs) : stat.mtimeMs;
}

/** Whether the compiled build is older than its sources (`npm run build` or `npm start` rebuilds it). */
export function isStale(runtime: Runtime): boolean {
  if (runtime === 'tsx') return false;
  const main = join(ROOT, RUNTIMES[runtime].main);
  return !existsSync(main) || statSync(main).mtimeMs < Math.max(...BUILD_SOURCES.map((p) => newest(join(ROOT, p))));
}

/** Whether the runtime can start here and runs today's code (the compiled one needs a fresh build). */
export function isAvailable(runtime: Runtime): boolean {
  const launch = RUNTIMES[runtime];
  return [launch.main, ...Object.values(launch.modules)].every((path) => existsSync(join(ROOT, path))) && !isStale(runtime);
}

/** The runtimes that can start here, compiled first. */
export function availableRuntimes(): Runtime[] {
  return (['compiled', 'tsx'] as const).filter(isAvailable);
}

/**
 * The runtime tether runs in for every scenario: `BENCH_RUNTIME` if set, else the compiled build
 * when it exists and is fresh (what `npm start` runs), else tsx.
 * @example defaultRuntime() // 'compiled' after `npm run build`
 */
export function defaultRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const asked = env.BENCH_RUNTIME;
  if (asked === 'tsx' || asked === 'compiled') {
    if (!isAvailable(asked)) throw new Error(`BENCH_RUNTIME=${asked}: ${RUNTIMES[asked].main} is missing or older than its sources (npm run build)`);
    return asked;
  }
  if (asked !== undefined && asked !== '') throw new Error(`BENCH_RUNTIME must be tsx or compiled, not ${asked}`);
  return isAvailable('compiled') ? 'compiled' : 'tsx';
}

/** file:// URLs of the product modules of a runtime, for a child's dynamic import. */
export function moduleUrls(runtime: Runtime): RuntimeLaunch['modules'] {
  const m = RUNTIMES[runtime].modules;
  const url = (path: string): string => pathToFileURL(join(ROOT, path)).href;
  return { app: url(m.app), config: url(m.config), passwords: url(m.passwords) };
}
