// Username enumeration by timing: signing in as an unknown user costs the same argon2 work as a wrong password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHasher, type PasswordHasher } from '../../server/auth/passwords.js';
import { TestBrowser } from '../../server/testing/index.js';
import { PASSWORD, startCustomServer, type CustomServer } from './support.js';

/** A real (cheap) argon2id hasher that records what each verify was asked to check against. */
function countingHasher(): PasswordHasher & { verified: Array<'stored hash' | 'no hash'> } {
  const inner = createHasher({ memoryCost: 1024, timeCost: 1 });
  const verified: Array<'stored hash' | 'no hash'> = [];
  return {
    verified,
    hash: (password) => inner.hash(password),
    verify(hash, password) {
      verified.push(hash === undefined ? 'no hash' : 'stored hash');
      return inner.verify(hash, password);
    },
  };
}

let server: CustomServer;
const hasher = countingHasher();
beforeAll(async () => {
  server = await startCustomServer({ hasher });
});
afterAll(() => server.close());

describe('username enumeration by timing', () => {
  it('the login path hashes for an unknown user exactly as for a known one, and answers alike', async () => {
    const name = 'timing_victim';
    expect((await new TestBrowser(server.url).register(name, PASSWORD)).status).toBe(201);
    const bystander = new TestBrowser(server.url);
    expect((await bystander.register('timing_bystander', PASSWORD)).status).toBe(201);
    const bystanderTab = await bystander.openTab();
    hasher.verified.length = 0;

    const known = await new TestBrowser(server.url).login(name, 'wrong password here');
    const unknown = await new TestBrowser(server.url).login('timing_nobody', 'wrong password here');
    expect([known.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.body).toEqual(known.body);
    // One verify each: against the stored hash, and against the dummy hash for the unknown user.
    expect(hasher.verified).toEqual(['stored hash', 'no hash']);

    // The server is still up, signs the real user in, and the other user's socket still works.
    expect((await new TestBrowser(server.url).login(name, PASSWORD)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await bystanderTab.touch()).toMatchObject({ ok: true });
    bystanderTab.close();
  });

  it('with production argon2 parameters, verifying an unknown user costs about what a known one costs', async () => {
    const production = createHasher();
    const stored = await production.hash('the real password');
    await production.verify(undefined, 'warm up'); // builds the dummy hash once
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const time = async (stored: string | undefined): Promise<number> => {
      const start = performance.now();
      expect(await production.verify(stored, 'a wrong guess')).toBe(false);
      return performance.now() - start;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    // Interleaved, so that load from other suites falls on both alike.
    for (let i = 0; i < 7; i++) {
      knownTimes.push(await time(stored));
      unknownTimes.push(await time(undefined));
    }
    // Skipping argon2 for unknown users would make this ratio ~0.01; a ratio is robust to slow machines.
    const ratio = median(unknownTimes) / median(knownTimes);
    expect(ratio).toBeGreaterThan(0.33);
    expect(ratio).toBeLessThan(3);
  });
});
