// docs/live-views.md shows the live-view example's real code: each block marked "code from FILE" is a verbatim part of FILE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from './pack-support.js';

const guide = readFileSync(join(root, 'docs/live-views.md'), 'utf8');
const blocks = [...guide.matchAll(/<!-- code from (\S+) [^>]*-->\n```\w*\n([\s\S]*?)\n```/g)].map((match) => ({ file: match[1]!, code: match[2]! }));

it('shows the schemas, the server view, its registration, the component, the page and a test', () => {
  expect(blocks.map((block) => block.file)).toEqual([
    'examples/live-view/shout.ts',
    'examples/live-view/shout-view.ts',
    'examples/live-view/app.ts',
    'examples/live-view/shout-box.ts',
    'examples/live-view/page.ts',
    'examples/live-view/app.test.ts',
  ]);
});

it.each(blocks.map((block) => [block.file, block.code] as const))('shows %s verbatim', (file, code) => {
  expect(readFileSync(join(root, file), 'utf8')).toContain(code);
});
