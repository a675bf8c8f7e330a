// The package as a user gets it: `npm pack`, the tarball's contents, installed into a fresh app with
// only the peer dependencies, type-checked against the shipped .d.ts, and run (a sign-out ends two tabs).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failIfRequired, servicesRequired } from '../support/services.js';
import { exportTargets, manifest, pack, registryReachable, root, run, undeclaredImports, type Packed } from './pack-support.js';

const PEERS = ['express', 'express-session', 'socket.io', 'socket.io-client'] as const;
/** The app's own choices: zod for its event schemas, types for its peers (TypeScript itself is the repo's). */
const APP_OWN = ['zod'] as const;
const APP_TYPES = ['@types/express', '@types/express-session', '@types/node'] as const;

/** Dashboard modules, compiled: the package must not ship them. */
const DASHBOARD = /^dist\/node\/server\/(app|main|config|secrets|stores|redis-stores)\.|^dist\/node\/server\/(views|auth|db|http)\/|^dist\/client\//;

/** Run in the installed app: the example through the shipped test kit, a sign-out ends both tabs. */
const CHECK = `// Written by tests/toolkit/pack-install.test.ts: the example app run through the shipped kit.
import { startTestServer } from 'tether-session/testing';
import { createApp } from './app.js';

const server = await startTestServer(createApp, { browser: { routes: { session: '/hello', logout: '/signout' } } });
try {
  const ann = server.browser();
  ann.csrfToken = (await ann.post<{ csrfToken: string }>('/signin', { name: 'Ann' })).body.csrfToken;
  const tabs = [await ann.openTab(), await ann.openTab()];
  const res = await ann.logout();
  if (res.status !== 204) throw new Error(\`sign-out answered \${res.status}\`);
  const reasons = await Promise.all(tabs.map((tab) => tab.ended()));
  process.stdout.write(\`both tabs ended: \${reasons.join(', ')}\\n\`);
} finally {
  await server.close();
}
`;

/** Type-checked and run in the installed app: a live view of its own, from the shipped schemas and live entry points. */
const LIVE_CHECK = `// Written by tests/toolkit/pack-install.test.ts: an app's own live view against the shipped .d.ts.
import * as z from 'zod/mini';
import { defineLiveSchemas } from 'tether-session/schemas';
import { defineLiveView } from 'tether-session/live';

const counter = defineLiveSchemas({ name: 'counter', state: z.object({ n: z.number() }), events: { add: z.strictObject({ by: z.number() }) } });
const view = defineLiveView({ schemas: counter, mount: () => ({ n: 0 }), handleEvent: ({ payload }, _ctx, state) => ({ n: state.n + payload.by }) });
process.stdout.write(\`live view \${view.name}: \${Object.keys(view.schemas.events).join(', ')}\\n\`);
`;

const pkg = manifest();
const tmp = mkdtempSync(join(tmpdir(), 'tether-pack-'));
let packed: Packed;

beforeAll(async () => {
  packed = await pack(tmp);
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('holds only the built toolkit with its types and maps, package.json, README, LICENSE and CHANGELOG', () => {
    const unexpected = packed.files.filter((path) => !/^dist\/node\/.+\.(js|d\.ts|js\.map)$/.test(path) && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(path));
    expect(unexpected).toEqual([]);
    expect(packed.files.filter((path) => /^(tests|bench|docs|examples|scripts)\/|\.(png|ts)$|\.test\./.test(path) && !path.endsWith('.d.ts'))).toEqual([]);
    expect(packed.files.filter((path) => DASHBOARD.test(path))).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(['LICENSE', 'CHANGELOG.md', 'README.md']));
  });

  it('holds every file its exports name, each JS entry with its .d.ts', () => {
    const targets = exportTargets(pkg);
    expect(targets.filter((path) => !packed.files.includes(path))).toEqual([]);
    const jsEntries = targets.filter((path) => path.endsWith('.js'));
    expect(jsEntries).toHaveLength(Object.keys(pkg.exports).length - 1);
    expect(jsEntries.filter((path) => !packed.files.includes(path.replace(/\.js$/, '.d.ts')))).toEqual([]);
  });
});

const reachable = await registryReachable();
if (!reachable) {
  failIfRequired('tests/toolkit: the npm registry is not reachable');
  if (!servicesRequired()) console.warn('skipped tests/toolkit/pack-install (install): the npm registry is not reachable');
}

describe.skipIf(!reachable)('the tarball installed into an app with only the peer dependencies', () => {
  const app = join(tmp, 'app');
  const installed = join(app, 'node_modules', pkg.name);
  const versions = { ...pkg.devDependencies, ...pkg.dependencies };
  let typeCheck = 'not run';

  beforeAll(async () => {
    mkdirSync(app);
    cpSync(join(root, 'examples/minimal'), app, { recursive: true, filter: (path) => !path.endsWith('.test.ts') && !path.includes('node_modules') });
    writeFileSync(join(app, 'check.ts'), CHECK);
    writeFileSync(join(app, 'live-check.ts'), LIVE_CHECK);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'someone-elses-app',
        private: true,
        type: 'module',
        dependencies: { [pkg.name]: `file:${packed.tarball}`, ...Object.fromEntries([...PEERS, ...APP_OWN].map((name) => [name, versions[name]])) },
        devDependencies: Object.fromEntries(APP_TYPES.map((name) => [name, versions[name]])),
      }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
    // One tsc run type-checks and compiles; the two tests below read its outcome.
    typeCheck = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app).then(
      () => 'ok',
      (error: unknown) => String(error),
    );
  }, 360_000);

  it('gets the tarball and the peers, and nothing the dashboard uses', () => {
    const names = JSON.parse(readFileSync(join(app, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const top = Object.keys(names.packages).filter((path) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)).map((path) => path.slice('node_modules/'.length));
    expect(top).toEqual(expect.arrayContaining([pkg.name, ...PEERS]));
    expect(top.filter((name) => ['helmet', 'pino', 'kysely', 'better-sqlite3', 'pg', '@node-rs/argon2', 'vite', 'tsx', 'lit'].includes(name))).toEqual([]);
  });

  it('ships no import of a file it lacks or of a package it does not declare', () => {
    expect(undeclaredImports(installed)).toEqual([]);
  });

  it('type-checks the app (strict, NodeNext) against the shipped .d.ts and compiles it', () => {
    expect(typeCheck).toBe('ok');
  });

  it('runs the app: a sign-out ends its two tabs', async () => {
    expect(typeCheck, 'the app did not compile').toBe('ok');
    const output = await run(process.execPath, ['dist/check.js'], app);
    expect(output).toContain('both tabs ended: logout, logout');
  }, 60_000);

  it("runs a live view of the app's own, defined from the shipped schemas and live entry points", async () => {
    expect(typeCheck, 'the app did not compile').toBe('ok');
    expect(await run(process.execPath, ['dist/live-check.js'], app)).toContain('live view counter: add');
  });
});
