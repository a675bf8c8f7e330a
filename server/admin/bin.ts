#!/usr/bin/env node
// `tether-session-admin`: the operators' command for any app on the toolkit; the app's accounts module is named by TETHER_ADMIN_ACCOUNTS.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { AdminUsageError } from './args.js';
import { adminMain } from './main.js';
import type { AdminAccounts } from './run.js';

const env = process.env;
const number = (name: string, fallback: number): number => {
  const raw = env[name];
  const n = raw ? Number(raw) : fallback;
  if (!Number.isSafeInteger(n) || n <= 0) {
    process.stderr.write(`tether-session-admin: ${name}=${JSON.stringify(raw)} is invalid: expected a positive whole number of milliseconds\n`);
    process.exit(2);
  }
  return n;
};

/** The module exports `openAccounts(env): Promise<AdminAccounts>` (see README, "Operators' command"). */
async function openAccounts(): Promise<AdminAccounts> {
  const name = env.TETHER_ADMIN_ACCOUNTS;
  if (!name) throw new AdminUsageError('TETHER_ADMIN_ACCOUNTS must name your app\'s accounts module (it exports openAccounts(env))');
  const mod = (await import(name.startsWith('.') || name.startsWith('/') ? pathToFileURL(resolve(name)).href : name)) as { openAccounts?: (e: typeof env) => Promise<AdminAccounts> };
  if (typeof mod.openAccounts !== 'function') throw new AdminUsageError(`${name} does not export openAccounts(env)`);
  return mod.openAccounts(env);
}

process.exitCode = await adminMain({
  argv: process.argv.slice(2),
  target: {
    sessionStore: env.SESSION_STORE ?? 'memory',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX ?? 'tether:',
    idleTimeoutMs: number('SESSION_IDLE_TIMEOUT_MS', 1_800_000),
    absoluteTimeoutMs: number('SESSION_ABSOLUTE_TIMEOUT_MS', 28_800_000),
  },
  accounts: openAccounts,
});
