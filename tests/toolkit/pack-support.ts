// Helpers of the pack-and-install test: npm pack, the tarball's file list, a temporary app that
// installs the tarball, and the check that the shipped files only import what the package declares.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

export interface Manifest {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; import: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export const manifest = (dir = root): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Runs a command; resolves with its output, rejects with the tail of it when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(output) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`))));
  });
}

export interface Packed {
  tarball: string;
  files: string[];
  size: number;
}

/** `npm pack` into `dir` (its prepack builds dist/node when stale). */
export async function pack(dir: string): Promise<Packed> {
  const output = await run('npm', ['pack', '--json', '--pack-destination', dir], root);
  // npm prints the prepack script's lines before the JSON.
  const [result] = JSON.parse(output.slice(output.indexOf('[\n'))) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  if (!result) throw new Error(`npm pack printed no result:\n${output}`);
  return { tarball: join(dir, result.filename), files: result.files.map((file) => file.path).sort(), size: result.size };
}

/** Every file an `exports` entry names (types and JS), relative to the package root. */
export function exportTargets(pkg: Manifest): string[] {
  return Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : [target.types, target.import])).map((path) => path.replace(/^\.\//, ''));
}

/** Module specifiers a JS or .d.ts file imports or re-exports (static, dynamic and `import('…')` types). */
export function specifiersOf(source: string): string[] {
  const found = new Set<string>();
  const patterns = [/\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * What the installed package imports that it does not ship or declare: relative imports that name
 * no shipped file, and packages that are neither Node built-ins nor dependencies / peers (a .d.ts
 * may also lean on a peer's `@types/` package).
 */
export function undeclaredImports(installed: string): string[] {
  const pkg = manifest(installed);
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
  const builtins = new Set(builtinModules);
  const problems: string[] = [];
  for (const file of filesUnder(installed).filter((path) => /\.(js|d\.ts)$/.test(path))) {
    const where = relative(installed, file);
    for (const specifier of specifiersOf(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        const candidates = file.endsWith('.d.ts') ? [target.replace(/\.js$/, '.d.ts'), target] : [target];
        if (!candidates.some((path) => existsSync(path))) problems.push(`${where}: ${specifier} is not in the package`);
      } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const name = packageName(specifier);
        const typesName = `@types/${name.replace(/^@/, '').replace('/', '__')}`;
        if (!declared.has(name) && !(file.endsWith('.d.ts') && declared.has(typesName))) problems.push(`${where}: ${name} is not a dependency or peer`);
      }
    }
  }
  return problems;
}

/** Whether the npm registry answers within a few seconds (the install may need it for the peers). */
export async function registryReachable(): Promise<boolean> {
  const registry = (await run('npm', ['config', 'get', 'registry'], root)).trim();
  try {
    const res = await fetch(new URL('-/ping', registry.endsWith('/') ? registry : `${registry}/`), { signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}
