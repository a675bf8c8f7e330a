// docs/toolkit.md shows the example's real code: each block marked "code from FILE" is a verbatim part of FILE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from './pack-support.js';

const guide = readFileSync(join(root, 'docs/toolkit.md'), 'utf8');
const blocks = [...guide.matchAll(/<!-- code from (\S+) [^>]*-->\n```\w*\n([\s\S]*?)\n```/g)].map((match) => ({ file: match[1]!, code: match[2]! }));

it('has code blocks from the example, the whole app among them', () => {
  expect(blocks.map((block) => block.file)).toEqual(expect.arrayContaining(['examples/minimal/app.ts', 'examples/minimal/app.test.ts']));
  const app = readFileSync(join(root, 'examples/minimal/app.ts'), 'utf8');
  expect(blocks.find((block) => block.file === 'examples/minimal/app.ts')?.code).toBe(app.trimEnd());
});

it.each(blocks.map((block) => [block.file, block.code] as const))('shows %s verbatim', (file, code) => {
  expect(readFileSync(join(root, file), 'utf8')).toContain(code);
});
