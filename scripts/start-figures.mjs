// Start-up figures from outside: time until GET /healthz answers 200, and the server process's idle RSS.
// Usage: node scripts/start-figures.mjs [runs] -- <command…>   (the command must honour PORT)
//        node scripts/start-figures.mjs [runs] plain           (a plain Socket.IO server, the baseline)
// Runs each start `runs` times (default 5) with a fresh DATA_DIR and prints the median and the range.
// Idle RSS is read from /proc after 2 s of idling, for the deepest process of the started tree (the
// server itself, not npm or sh in front of it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PLAIN = `const { createServer } = require('node:http'); const { Server } = require('socket.io');
const http = createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); });
new Server(http); http.listen(Number(process.env.PORT), '127.0.0.1');`;

const args = process.argv.slice(2);
const runs = /^\d+$/.test(args[0] ?? '') ? Number(args.shift()) : 5;
if (args[0] === '--') args.shift();
const command = args[0] === 'plain' ? [process.execPath, '-e', PLAIN] : args;
if (command.length === 0) {
  process.stderr.write('usage: node scripts/start-figures.mjs [runs] -- <command…> | plain\n');
  process.exit(2);
}

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/** Child PIDs of each PID, from /proc. */
function childrenOf() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function deepest(pid) {
  const children = childrenOf();
  let current = pid;
  for (let next = children.get(current); next && next.length > 0; next = children.get(current)) current = next[0];
  return current;
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function once() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'tether-figures-'));
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir }, stdio: 'ignore', detached: true });
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${command.join(' ')} exited before it was ready`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return { readyMs, rss: rssMb(deepest(child.pid)) };
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => (exited ? resolve() : child.once('exit', resolve)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (let i = 0; i < runs; i += 1) results.push(await once());
const summary = (values, unit, digits) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${median.toFixed(digits)} ${unit} (${sorted[0].toFixed(digits)}-${sorted.at(-1).toFixed(digits)})`;
};
process.stdout.write(`${command.join(' ').slice(0, 80)}: ready ${summary(results.map((r) => r.readyMs / 1000), 's', 2)}, idle RSS ${summary(results.map((r) => r.rss), 'MB', 0)} over ${runs} runs\n`);
