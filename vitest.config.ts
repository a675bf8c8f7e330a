// Vitest: the whole suite (unit, socket-level integration, browser, cluster) in one run.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** `tether-session/x` → its source file (the exports' dist/node/*.js target, as .ts), as tsconfig's paths. */
const exportsMap = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { exports: Record<string, string | { import: string }> }).exports;
const packageAliases = Object.entries(exportsMap).flatMap(([subpath, target]) =>
  typeof target === 'string' ? [] : [{ find: `tether-session${subpath.slice(1)}`, replacement: new URL(target.import.replace('./dist/node/', './').replace(/\.js$/, '.ts'), import.meta.url).pathname }],
);

export default defineConfig({
  resolve: { alias: packageAliases },
  test: {
    include: ['tests/**/*.test.ts', 'examples/**/*.test.ts'],
    // Builds dist/client for the browser tests when it is missing or stale (a few ms otherwise).
    globalSetup: ['tests/browser/global-setup.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: more workers only fight over them and make socket timing noisy.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
