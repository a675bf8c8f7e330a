// Builds the client with Vite when dist/client is missing or older than any file under client/ or shared/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

const built = 'dist/client/index.html';
const sources = Math.max(newest('client'), newest('shared'), statSync('vite.config.ts').mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  process.stdout.write('client built into dist/client\n');
}
