// Redis connections that fail fast while Redis is down and reconnect by themselves when it returns.
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { RedisClient } from './redis-types.js';
import type { Logger } from '../sessions/logger.js';
import type { RedisCommands } from './redis-commands.js';
import { errorSummary } from '../sessions/retry.js';

export type { RedisClient };

export interface RedisClientOptions {
  url: string;
  log: Logger;
  /** Names the connection in logs ("commands", "subscriber"). */
  role: string;
  /** CLIENT SETNAME, so `CLIENT LIST` shows whose connection it is (e.g. `tether:subscriber`). */
  name?: string;
  /**
   * Reject commands at once while disconnected instead of queueing them, and bound each command's
   * time: a request, a sign-out or a deadline check must never wait on a Redis that is gone.
   * Off for the subscriber, whose only commands are (re)subscriptions that node-redis replays itself.
   */
  failFast?: boolean;
  /** Per-command bound in ms when `failFast`. */
  commandTimeoutMs?: number;
  /** Wait between reconnect attempts; small, so a node recovers within a second of Redis returning. */
  reconnectDelayMs?: (retries: number) => number;
  /** How long start-up waits for the first connection before giving up. */
  connectTimeoutMs?: number;
}

export const defaultReconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 1000);

/** The URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'redis URL';
  }
}

/**
 * Connects a client. Its 'error' events (one per failed reconnect) are logged once per outage,
 * never left unhandled: an EventEmitter 'error' without a listener would crash the process.
 * @example const client = await connectRedis({ url: config.redisUrl, log, role: 'commands', failFast: true });
 */
export async function connectRedis({ url, log, role, name, failFast = false, commandTimeoutMs = 1000, reconnectDelayMs = defaultReconnectDelay, connectTimeoutMs = 5000 }: RedisClientOptions): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    ...(name ? { name } : {}),
    disableOfflineQueue: failFast,
    ...(failFast ? { commandOptions: { timeout: commandTimeoutMs } } : {}),
    socket: { connectTimeout: Math.min(connectTimeoutMs, 5000), reconnectStrategy: (retries) => reconnectDelayMs(retries) },
  });
  let up = false;
  client.on('error', (error: unknown) => {
    if (!up) return;
    up = false;
    log.warn({ err: errorSummary(error), role }, 'redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (up) return;
    up = true;
    log.info({ role }, 'redis connected');
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${redactedUrl(url)} (REDIS_URL) within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), gaveUp]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** Closes gracefully while Redis answers, else drops the connection: shutting down never hangs on Redis. */
export async function disconnectRedis(client: RedisClient, timeoutMs = 1000): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) return client.destroy();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([client.close().then(() => 'closed' as const), late]);
    if (outcome === 'late') client.destroy();
  } catch {
    if (client.isOpen) client.destroy();
  } finally {
    clearTimeout(timer);
  }
}

export { bounded, RedisTimeoutError } from '../sessions/bounded.js';

/** A Lua script run by its SHA1 (EVALSHA), loaded on first use: atomic check-and-write on the server. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export function lua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * @example const written = await runScript(client, GUARDED_SET, [key, tombstone], [json, '1800']);
 */
export async function runScript(client: RedisCommands, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await client.evalSha(script.sha, { keys, arguments: args });
  } catch (error) {
    // After a Redis restart (or on first use) the script cache is empty: send the source once.
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(script.source, { keys, arguments: args });
    throw error;
  }
}
