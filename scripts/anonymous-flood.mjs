// Measures what a flood of cookieless GET /api/session costs the compiled server in RSS (that it makes no store entry is tests/hostile/floods.test.ts). Usage: npm run build && node scripts/anonymous-flood.mjs [requests]
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
const N = Number(process.argv[2] ?? 50000);
const port = 3900 + Math.floor(Math.random() * 50);
const child = spawn(process.execPath, ['dist/node/bundle/main.js'], { cwd: new URL('..', import.meta.url).pathname, env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'flood-')), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => child.stdout.on('data', (d) => String(d).includes('open') && r()));
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
const get = () => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/api/session', agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); }).on('error', reject));
for (let i = 0; i < 2000; i++) await get();
global.gc?.();
const before = rss();
const t0 = Date.now();
let ok = 0;
for (let done = 0; done < N; done += 500) {
  const codes = await Promise.all(Array.from({ length: 500 }, get));
  ok += codes.filter((c) => c === 200).length;
}
const seconds = (Date.now() - t0) / 1000;
const after = rss();
console.log(JSON.stringify({ requests: N, ok, seconds, rssBeforeMb: before.toFixed(1), rssAfterMb: after.toFixed(1), growthMb: (after - before).toFixed(1) }));
child.kill('SIGTERM');
agent.destroy();
