// Transpiles the bench's server-side files (the IPC child, the baselines) to plain JavaScript under
// bench/.build/, so that the baselines and a compiled tether run under bare `node`, with no loader.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { ROOT } from './launch.js';

/** What the child process needs, relative to bench/. Type-only imports vanish in the output. */
const FILES = ['server-child.ts', 'protocol.ts', 'standalone.ts', 'baselines/running.ts', 'baselines/plain.ts', 'baselines/recipe.ts', 'baselines/tether.ts'] as const;

export const BUILD_DIR = join(ROOT, 'bench', '.build');

let built = false;

/**
 * Once per process (cheap: no type check, a few files). The output sits inside the repository so
 * that its imports of socket.io, express… resolve from the repository's node_modules.
 * @example buildChildren(); fork(join(BUILD_DIR, 'server-child.js'), …)
 */
export function buildChildren(): string {
  if (built) return BUILD_DIR;
  for (const file of FILES) {
    const source = readFileSync(join(ROOT, 'bench', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, useDefineForClassFields: false, sourceMap: false },
    });
    const out = join(BUILD_DIR, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  built = true;
  return BUILD_DIR;
}
