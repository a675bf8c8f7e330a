// The sign-in limit under concurrency: only failures count, however many attempts run at once, and guesses stay bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../server/testing/index.js';
import { errorCode, expectUnharmed, PASSWORD, startArena, uniqueName, type Arena } from './support.js';

/** A registered user and a fresh browser (with its CSRF token) to sign in from. */
async function victim(arena: Arena): Promise<{ name: string; from: () => Promise<TestBrowser> }> {
  const name = uniqueName('victim');
  expect((await arena.server.browser().register(name, PASSWORD)).status).toBe(201);
  return {
    name,
    from: async () => {
      const browser = new TestBrowser(arena.server.url);
      await browser.session();
      return browser;
    },
  };
}

const statuses = (answers: Array<{ status: number }>): number[] => answers.map((a) => a.status).sort();

describe('when one user signs in ten times at once with the right password', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena();
  });
  afterAll(() => arena.close());

  it('all ten succeed: nothing failed, so nothing counts', async () => {
    const { name, from } = await victim(arena);
    const browsers = await Promise.all(Array.from({ length: 10 }, from));
    const answers = await Promise.all(browsers.map((b) => b.login(name, PASSWORD)));
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([]);
    expect(statuses(answers)).toEqual(Array(10).fill(200));
    // And still nothing counted: five wrong passwords are still allowed before the limit.
    const attacker = await from();
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push((await attacker.login(name, `wrong password ${i}`)).status);
    expect(wrong).toEqual(Array(5).fill(401));
    expect((await attacker.login(name, PASSWORD)).status).toBe(429);
    await expectUnharmed(arena);
  });

  it('after four failures, ten right-password sign-ins at once all succeed (the attempts being verified are not failures)', async () => {
    const { name, from } = await victim(arena);
    const attacker = await from();
    for (let i = 0; i < 4; i++) expect((await attacker.login(name, `wrong password ${i}`)).status).toBe(401);
    const browsers = await Promise.all(Array.from({ length: 10 }, from));
    expect(statuses(await Promise.all(browsers.map((b) => b.login(name, PASSWORD))))).toEqual(Array(10).fill(200));
    await expectUnharmed(arena);
  });

  it('twenty wrong guesses and the right password all at once: five guesses are checked, everything else is 429', async () => {
    const { name, from } = await victim(arena);
    const attacker = await from();
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => attacker.login(name, `guess number ${i}`)),
      attacker.login(name, PASSWORD),
    ]);
    const counts = statuses(answers);
    // The right one may be among the five checked (then 200), else it waits and meets the limit.
    expect(counts.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(counts.filter((s) => s === 401).length + counts.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(counts.filter((s) => s === 429).length).toBeGreaterThanOrEqual(16);
    const limited = answers.find((a) => a.status === 429)!;
    expect(errorCode(limited.body)).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    await expectUnharmed(arena);
  });
});

describe('when many users sign in at once from one address (LOGIN_FAILURES_PER_IP=3)', () => {
  let arena: Arena;
  beforeAll(async () => {
    arena = await startArena({ LOGIN_FAILURES_PER_IP: '3' });
  });
  afterAll(() => arena.close());

  it('ten right-password sign-ins of ten users all succeed; then three failures reach the per-address limit', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => victim(arena)));
    const browsers = await Promise.all(users.map((u) => u.from()));
    expect(statuses(await Promise.all(browsers.map((b, i) => b.login(users[i]!.name, PASSWORD))))).toEqual(Array(10).fill(200));
    const attacker = browsers[0]!;
    const wrong = [];
    for (const u of users.slice(0, 4)) wrong.push((await attacker.login(u.name, 'not the password')).status);
    expect(wrong).toEqual([401, 401, 401, 429]);
    expect((await attacker.login(users[5]!.name, PASSWORD)).status).toBe(429);
    await expectUnharmed(arena);
  });
});
