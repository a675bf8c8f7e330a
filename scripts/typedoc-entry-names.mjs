// TypeDoc plugin: names each module of the API reference by the import a user writes (`tether-session/sessions`),
// not by its source folder (`server/sessions`), from package.json's exports.
import { readFileSync } from 'node:fs';
import { Converter, ReflectionKind } from 'typedoc';

const { name, exports: entries } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * `server/sessions` → `tether-session/sessions`. TypeDoc names a module by its path minus `/index`,
 * relative to the entry points' common folder (`sessions` when all of them are under server/).
 */
const byFolder = new Map(
  Object.entries(entries)
    .filter(([, target]) => typeof target === 'object')
    .map(([subpath, target]) => [target.import.replace('./dist/node/', '').replace(/\/index\.js$|\.js$/, ''), `${name}${subpath.slice(1)}`]),
);

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const folder = [...byFolder.keys()].find((path) => path === module.name || path.endsWith(`/${module.name}`));
      if (folder) module.name = byFolder.get(folder);
    }
  });
}
