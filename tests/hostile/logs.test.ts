// Secrets in logs: after a sign-in, a socket, a password change and a sign-out, the log holds no cookie, token or password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHasher } from '../../server/auth/passwords.js';
import { createLogger } from '../../server/log.js';
import { TestBrowser } from '../../server/testing/index.js';
import { PASSWORD, startCustomServer, type CustomServer } from './support.js';

/** A pino destination that keeps every line. */
function memoryDestination(): { write(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

let server: CustomServer;
const output = memoryDestination();
beforeAll(async () => {
  // `debug` logs every API request with its headers: the most a log can hold.
  server = await startCustomServer({ hasher: createHasher({ memoryCost: 1024, timeCost: 1 }), log: createLogger('debug', output) });
});
afterAll(() => server.close());

describe('the log after a sign-in, a socket, a password change and a sign-out', () => {
  it('never contains a password, a CSRF token, a cookie or a session ID, and says where it redacted them', async () => {
    const secrets: string[] = [];
    const b = new TestBrowser(server.url);
    await b.register('log_reader', PASSWORD);
    const other = new TestBrowser(server.url);
    expect((await other.login('log_reader', PASSWORD)).status).toBe(200);
    secrets.push(other.csrfToken!, other.cookies.get('sid')!, other.sessionId!);
    const failed = new TestBrowser(server.url);
    expect((await failed.login('log_reader', 'a wrong password')).status).toBe(401);

    const tab = await b.openTab();
    expect(await tab.touch()).toMatchObject({ ok: true });
    secrets.push(b.csrfToken!, b.cookies.get('sid')!, b.sessionId!);
    const newPassword = 'a brand new horse';
    expect((await b.changePassword(PASSWORD, newPassword)).status).toBe(200);
    secrets.push(b.csrfToken!, b.cookies.get('sid')!, b.sessionId!);
    expect((await b.logout()).status).toBe(204);
    tab.close();

    const log = output.lines.join('');
    // The log did see these requests, with their headers…
    const requests = output.lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string; headers: Record<string, unknown> }; res?: { headers: Record<string, unknown> } }).filter((l) => l.msg === 'request');
    expect(requests.map((r) => r.req!.url)).toEqual(expect.arrayContaining(['/api/register', '/api/login', '/api/password', '/api/logout']));
    const signIn = requests.find((r) => r.req!.url === '/api/login' && r.res!.headers['set-cookie'] !== undefined)!;
    expect(signIn.req!.headers.cookie).toBe('[redacted]');
    expect(signIn.req!.headers['x-csrf-token']).toBe('[redacted]');
    expect(signIn.res!.headers['set-cookie']).toBe('[redacted]');
    // …and none of the secrets.
    for (const secret of [PASSWORD, newPassword, 'a wrong password', ...secrets]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(log).not.toContain(secret);
      expect(log).not.toContain(encodeURIComponent(secret));
    }
  });

  it('redacts the secret keys wherever a log call puts them', () => {
    const lines = memoryDestination();
    const log = createLogger('info', lines);
    log.info({ password: 'p1', csrfToken: 't1', user: { password: 'p2', sessionId: 's1' }, headers: { cookie: 'c1', 'x-csrf-token': 't2' }, req: { headers: { authorization: 'a1' }, body: { password: 'p3' } } }, 'oops');
    const entry = JSON.parse(lines.lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      password: '[redacted]',
      csrfToken: '[redacted]',
      user: { password: '[redacted]', sessionId: '[redacted]' },
      headers: { cookie: '[redacted]', 'x-csrf-token': '[redacted]' },
      req: { headers: { authorization: '[redacted]' }, body: '[redacted]' },
    });
  });
});
