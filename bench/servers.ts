// Starts a server under test in a child process on 127.0.0.1 port 0 and talks to it over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildChildren } from './build-children.js';
import { defaultRuntime, moduleUrls, RUNTIMES, type Runtime } from './launch.js';
import { isChildMessage, type ChildSpec, type OpName, type Ops, type ServerSpec, type TargetKind } from './protocol.js';

export interface ServerHandle {
  kind: TargetKind;
  /** How tether was loaded (the baselines always run as plain JavaScript). */
  runtime: Runtime;
  url: string;
  port: number;
  pid: number;
  call<K extends OpName>(op: K, args: Ops[K]['args'], timeoutMs?: number): Promise<Ops[K]['reply']>;
  usage(): Promise<Ops['usage']['reply']>;
  /** Memory after forced full GCs. */
  heap(): Promise<Ops['heap']['reply']>;
  close(): Promise<void>;
  /** SIGKILL, as a crashed node: no close, no goodbye to its sockets. Resolves at exit. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /** How tether is loaded; default `defaultRuntime()` (the compiled build when there is one). */
  runtime?: Runtime;
  /** Directory for a V8 CPU profile of the server (`node --cpu-prof`), written when it exits. */
  cpuProfDir?: string;
  startTimeoutMs?: number;
}

/**
 * Thrown when the child could not start its server; `message` is the child's own.
 */
export class ServerStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/**
 * @example const server = await spawnServer({ kind: 'plain' }); await server.usage(); await server.close();
 */
export function spawnServer(spec: ServerSpec, options: SpawnOptions = {}): Promise<ServerHandle> {
  const runtime = options.runtime ?? defaultRuntime();
  const childSpec: ChildSpec = { ...spec, runtime, modules: moduleUrls(runtime) };
  // The baselines and the compiled tether run under bare node; only a tsx tether loads tsx.
  const execArgv = [...(spec.kind === 'tether' ? RUNTIMES[runtime].nodeArgs : []), '--expose-gc'];
  // One directory per server: tsx's loader thread writes a profile of its own next to the main one.
  if (options.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, `${spec.kind}-${Date.now()}`)}`);
  const child: ChildProcess = fork(join(buildChildren(), 'server-child.js'), [JSON.stringify(childSpec)], {
    execArgv,
    // The server's own logs go nowhere; its errors are kept for a failed start.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${spec.kind} server exited (${code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    }
    pending.clear();
  });
  child.on('message', (raw: unknown) => {
    if (!isChildMessage(raw) || (raw.type !== 'reply' && raw.type !== 'error')) return;
    const p = pending.get(raw.id);
    if (!p) return;
    pending.delete(raw.id);
    clearTimeout(p.timer);
    if (raw.type === 'reply') p.resolve(raw.value);
    else p.reject(new Error(`${spec.kind} server: ${raw.message}`));
  });

  const call = <K extends OpName>(op: K, args: Ops[K]['args'], timeoutMs = 30_000): Promise<Ops[K]['reply']> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${spec.kind} server: no answer to ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      // The reply's shape is the child's side of the Ops contract.
      pending.set(id, { resolve: (v) => resolve(v as Ops[K]['reply']), reject, timer });
      child.send({ id, op, args });
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ServerStartError(`${spec.kind} server did not start within ${options.startTimeoutMs ?? 30_000} ms`));
    }, options.startTimeoutMs ?? 30_000);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new ServerStartError(`${spec.kind} server exited (${code}) before it was ready: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    };
    child.once('exit', onExit);
    const onMessage = (raw: unknown): void => {
      if (!isChildMessage(raw)) return;
      if (raw.type === 'failed') {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.off('message', onMessage);
        reject(new ServerStartError(raw.message));
        return;
      }
      if (raw.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve({
        kind: spec.kind,
        runtime,
        url: `http://127.0.0.1:${raw.port}`,
        port: raw.port,
        pid: child.pid ?? -1,
        call,
        usage: () => call('usage', {}),
        heap: () => call('heap', {}, 60_000),
        async close() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          await call('close', {}, 10_000).catch(() => undefined);
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        },
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.on('message', onMessage);
  });
}

/** Closes every handle, even when some fail. */
export async function closeAll(handles: Iterable<ServerHandle | undefined>): Promise<void> {
  await Promise.allSettled([...handles].map((h) => h?.close()));
}
