// The architecture's rules, checked on the sources: the lifecycle stands alone, the toolkit never reaches into the dashboard, the dashboard uses only entry points, no cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const TOOLKIT = ['server/sessions', 'server/express', 'server/socketio', 'server/live', 'server/scale', 'server/testing'];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports (types included), relative ones resolved to repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((match) => {
    const spec = match[1]!;
    return spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  });
}

const serverFiles = [...sources('server'), ...sources('shared')];
const inToolkit = (file: string): boolean => TOOLKIT.some((dir) => file.startsWith(`${dir}/`));

describe('the session lifecycle', () => {
  it('imports neither express nor socket.io nor anything of the bindings, live views or the dashboard', () => {
    const offending = sources('server/sessions').flatMap((file) =>
      importsOf(file)
        .filter((spec) => ['express', 'socket.io', 'shared/live.ts'].includes(spec) || (spec.startsWith('server/') && !spec.startsWith('server/sessions/')))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('the toolkit', () => {
  it('never imports a file of the dashboard', () => {
    const offending = serverFiles.filter(inToolkit).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('server/') && !inToolkit(spec))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('the dashboard', () => {
  it('uses the toolkit only through its entry points (each folder’s index.ts)', () => {
    const dashboard = [...sources('server').filter((file) => !inToolkit(file)), ...sources('tests/support')];
    const offending = dashboard.flatMap((file) =>
      importsOf(file)
        .filter((spec) => inToolkit(spec) && !spec.endsWith('/index.ts'))
        .map((spec) => `${file} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});

describe('the server and the wire', () => {
  it('have no import cycles', () => {
    const graph = new Map(serverFiles.map((file) => [file, importsOf(file).filter((spec) => spec.startsWith('server/') || spec.startsWith('shared/'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
