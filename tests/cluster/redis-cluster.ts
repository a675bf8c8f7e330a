// A 3-master Redis Cluster of the test's own (redis-server --cluster-enabled yes ×3), with masters to kill and restart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { createServer } from 'node:net';

export interface OwnClusterOptions {
  /** Replicas per master (default 0): with 1, a killed master's replica takes over its slots. */
  replicas?: number;
}

export interface OwnCluster {
  /** Every server's port, masters first. */
  readonly ports: number[];
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`, as REDIS_URL. */
  readonly url: string;
  /** The port of the master serving `key`'s slot. */
  masterOf(key: string): Promise<number>;
  /** SIGKILL one master (its data is on disk: appendfsync always). */
  kill(port: number): Promise<void>;
  /** Resolves once `key`'s slot is served by a live master other than `port` (a replica took over). */
  failedOver(key: string, port: number, timeoutMs?: number): Promise<number>;
  /** Starts a killed master again (same dir, same nodes.conf, so the same slots), and waits for the cluster. */
  restart(port: number): Promise<void>;
  /** Kills every server and removes the temp dir. */
  close(): Promise<void>;
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A port free now whose cluster bus port (port + 10000) is free too, both below the OS's ephemeral
 * range (from 32768 on Linux) and apart from freePort()'s 27000–32767: otherwise the local port of
 * any outgoing connection could take one of them before redis-server listens.
 */
async function freeClusterPort(taken: number[]): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = 10_000 + Math.floor(Math.random() * 7_000);
    if (taken.includes(port)) continue;
    if ((await canListen(port)) && (await canListen(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

function startServer(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1500', '--cluster-require-full-coverage', 'no', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--repl-diskless-sync-delay', '0'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server ${port} did not start: ${out.slice(-300)}`)), 5000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server ${port} exited (${code}): ${out.slice(-300)}`));
    });
  });
}

async function ask<T>(port: number, run: (client: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    client.destroy();
  }
}

/** Resolves when every live node says cluster_state:ok. */
async function clusterOk(ports: number[], timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(ports.map((p) => ask(p, (c) => c.sendCommand(['CLUSTER', 'INFO'])).then(String, () => '')));
    if (states.every((s) => s.includes('cluster_state:ok'))) return;
    if (Date.now() > until) throw new Error(`cluster not ok within ${timeoutMs} ms: ${states.map((s) => /cluster_state:\w+/.exec(s)?.[0]).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves when every replica among `ports` has synced with its master (a replica that has not cannot take over). */
async function replicasSynced(ports: number[], timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(ports.map((p) => ask(p, (c) => c.sendCommand(['INFO', 'replication'])).then(String, () => '')));
    if (infos.every((info) => info.includes('role:master') || info.includes('master_link_status:up'))) return;
    if (Date.now() > until) throw new Error(`replicas not synced within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * @example const cluster = await startOwnCluster(); ... REDIS_URL: cluster.url ... await cluster.close();
 */
export async function startOwnCluster({ replicas = 0 }: OwnClusterOptions = {}): Promise<OwnCluster> {
  const root = mkdtempSync(join(tmpdir(), 'tether-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 3 * (1 + replicas); i += 1) ports.push(await freeClusterPort(ports));
  const children = new Map<number, ChildProcess>();
  const dirOf = (port: number): string => join(root, String(port));
  const close = async (): Promise<void> => {
    await Promise.all([...children.values()].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    })));
    children.clear();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      mkdirSync(dirOf(port));
      children.set(port, await startServer(port, dirOf(port)));
    }
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8', timeout: 20_000 });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout.slice(-400)} ${created.stderr.slice(-400)}`);
    await clusterOk(ports);
    await replicasSynced(ports);
  } catch (error) {
    await close();
    throw error;
  }
  const masterOf = (key: string): Promise<number> => {
    const alive = ports.find((p) => children.has(p)) ?? ports[0]!;
    return ask(alive, async (c) => {
      const slot = Number(await c.sendCommand(['CLUSTER', 'KEYSLOT', key]));
      const slots = (await c.sendCommand(['CLUSTER', 'SLOTS'])) as Array<[number, number, [string, number, ...unknown[]]]>;
      const range = slots.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no master serves slot ${slot}`);
      return Number(range[2][1]);
    });
  };
  return {
    ports,
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    masterOf,
    async failedOver(key, port, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const master = await masterOf(key).catch(() => port);
        if (master !== port && children.has(master)) return master;
        if (Date.now() > until) throw new Error(`no replica took over ${key}'s slot from ${port} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill(port) {
      const child = children.get(port);
      children.delete(port);
      if (!child) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    async restart(port) {
      children.set(port, await startServer(port, dirOf(port)));
      await clusterOk(ports);
    },
    close,
  };
}
