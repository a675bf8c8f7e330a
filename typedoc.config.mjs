// TypeDoc: the API reference of every entry point in package.json's exports, as markdown in docs/api/ (`npm run docs`).
import { existsSync, readFileSync } from 'node:fs';

const { exports: entries } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
/** `./sessions` → `server/sessions/index.ts`: the source of each subpath's dist/node/*.js target. */
const entryPoints = Object.values(entries)
  .filter((target) => typeof target === 'object')
  .map((target) => target.import.replace('./dist/node/', '').replace(/\.js$/, '.ts'))
  .filter((source) => existsSync(source));

/** @type {Partial<import('typedoc').TypeDocOptions & import('typedoc-plugin-markdown').PluginOptions>} */
export default {
  entryPoints,
  tsconfig: 'tsconfig.build.json',
  out: 'docs/api',
  plugin: ['typedoc-plugin-markdown', './scripts/typedoc-entry-names.mjs'],
  readme: 'none',
  name: 'tether-session',
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  githubPages: false,
  hideGenerator: true,
  disableSources: true,
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  sort: ['kind', 'alphabetical'],
  validation: { notExported: false, invalidLink: true, notDocumented: false },
};
