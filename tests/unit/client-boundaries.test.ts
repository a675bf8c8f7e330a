// The client toolkit's rules, checked on the sources: generic (no dashboard UI, sentences or views), and the UI uses its entry point only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Repo paths of what a client module imports (types included). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((match) => {
    const spec = match[1]!;
    return spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  });
}
const tsIn = (dir: string): string[] => readdirSync(join(root, dir)).filter((name) => name.endsWith('.ts')).map((name) => `${dir}/${name}`);

describe('the client toolkit (client/toolkit/)', () => {
  it("imports nothing of the dashboard: no UI module, no sentence, no view's schemas", () => {
    const offending = tsIn('client/toolkit').flatMap((file) =>
      importsOf(file)
        .filter((spec) => (spec.startsWith('client/') && !spec.startsWith('client/toolkit/')) || spec.startsWith('shared/views/') || spec === 'shared/api.ts')
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('imports no full zod (the bundle keeps to zod/mini)', () => {
    const offending = tsIn('client/toolkit').filter((file) => importsOf(file).includes('zod'));
    expect(offending).toEqual([]);
  });
});

describe("the dashboard's UI (client/*.ts)", () => {
  it('uses the toolkit only through its entry point', () => {
    const offending = tsIn('client').flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('client/toolkit/') && spec !== 'client/toolkit/index.ts')
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
