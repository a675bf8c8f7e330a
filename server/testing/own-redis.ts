// A throwaway redis-server of the test's own (no persistence), to pause, kill and start again on its port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Below every OS's default ephemeral range (Linux from 32768, macOS and Windows from 49152). From
 * 27000, apart from this repo's Redis Cluster tests (nodes 10000–16999, bus ports 20000–26999).
 */
const BELOW_EPHEMERAL = { from: 27_000, to: 32_767 };

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A TCP port free right now on 127.0.0.1, for a program that will listen on it a moment later
 * (a redis-server, a dev server). It is picked below the OS's ephemeral range: a port the OS
 * hands out for `listen(0)` is also what it hands out as the local port of outgoing connections,
 * and in a busy test run one of those can take it before the program listens (EADDRINUSE).
 * @example const port = await freePort(); spawn('redis-server', ['--port', String(port)]);
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = BELOW_EPHEMERAL.from + Math.floor(Math.random() * (BELOW_EPHEMERAL.to - BELOW_EPHEMERAL.from + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${BELOW_EPHEMERAL.from} and ${BELOW_EPHEMERAL.to} after 50 tries`);
}

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** SIGKILL: the connection drops as in a crash. */
  stop(): Promise<void>;
  /** SIGSTOP: Redis hangs with its connections open, as behind a network that drops packets. */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
}

/**
 * Needs the `redis-server` binary on PATH.
 * @example const redis = await ownRedis(); await redis.start(); redis.pause(); redis.resume(); await redis.stop();
 */
export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    port,
    url,
    async start() {
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
      child = started;
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`redis-server on ${port} did not start: ${out.slice(-300)}`)), 5000);
        started.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Ready to accept connections')) {
            clearTimeout(timer);
            resolve();
          }
        });
        started.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        started.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`redis-server on ${port} exited (${code}): ${out.slice(-300)}`));
        });
      });
      started.stdout?.resume();
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGCONT');
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
}
