// The operators' command as the cluster tests run it, and the laptop with a tab on each node it acts on.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestBrowser, TestTab } from '../../server/testing/index.js';
import { DATABASE_URL } from '../support/services.js';
import { PASSWORD, username, type TwoNodes } from './nodes.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface AdminRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run admin -- …` as an operator would, against the nodes' Redis (`redisUrl`, read when
 * it runs) and PostgreSQL schema.
 * @example const admin = operatorCommand(nodes, () => REDIS_URL); expect((await admin(['end', user])).code).toBe(0);
 */
export function operatorCommand(nodes: TwoNodes, redisUrl: () => string) {
  return (args: string[], env: Record<string, string> = {}): Promise<AdminRun> =>
    new Promise((resolve) => {
      execFile(
        TSX,
        ['server/admin-cli.ts', ...args],
        {
          env: { ...process.env, SESSION_STORE: 'redis', REDIS_URL: redisUrl(), REDIS_PREFIX: nodes.cluster.redisPrefix, DATABASE_URL, DATABASE_SCHEMA: nodes.cluster.pgSchema, LOG_LEVEL: 'silent', ...env },
          timeout: 30_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
}

/** A new user registered from a laptop with one tab on node A and one on node B. */
export async function laptopWithTabs(nodes: TwoNodes, name: string): Promise<{ user: string; laptop: TestBrowser; tabs: TestTab[] }> {
  const user = username(name);
  const laptop = nodes.a.browser();
  expect((await laptop.register(user, PASSWORD)).status).toBe(201);
  const tabs = await Promise.all([laptop.openTab(), laptop.on(nodes.b).openTab()]);
  return { user, laptop, tabs };
}
