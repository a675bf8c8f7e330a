// Loader hooks of record-imports.mjs (they run on Node's loader thread; process.pid is the process's).
import { appendFileSync } from 'node:fs';

let file = '';

/** @param {{ file: string }} data */
export function initialize(data) {
  file = data.file;
}

/** Passes resolution on unchanged and appends what it resolved to. */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(file, `${process.pid} ${resolved.url}\n`);
  return resolved;
}
