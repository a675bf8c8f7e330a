// Text no store can hold (NUL bytes, lone surrogates) in any body field: 400 invalid_input on SQLite and PostgreSQL, never 503.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type DashboardServer } from '../support/dashboard.js';
import { DATABASE_URL, dropPgSchema, servicesAvailable, uniqueName as uniqueDbName } from '../support/services.js';
import { errorCode, PASSWORD, uniqueName } from './support.js';

const postgresAvailable = await servicesAvailable('tests/hostile (unstorable input on PostgreSQL)', ['postgres']);

/** What no database column holds as sent: PostgreSQL text refuses NUL; UTF-8 cannot encode a lone surrogate. */
const BAD = [
  ['a NUL byte', 'nul\u0000user'],
  ['a lone high surrogate', 'high\uD800surrogate'],
  ['a lone low surrogate', 'low\uDC00surrogate'],
  ['a low surrogate before its high half', 'swapped\uDC00\uD800pair'],
] as const;

/** Every string field of every request body, with the rest of the body valid. */
const FIELDS = [
  ['register username', '/api/register', (bad: string) => ({ username: bad, password: PASSWORD })],
  ['register password', '/api/register', (bad: string) => ({ username: uniqueName('reg'), password: `${bad} long enough` })],
  ['login username', '/api/login', (bad: string) => ({ username: bad, password: PASSWORD })],
  ['login password', '/api/login', (bad: string) => ({ username: 'someone', password: `${bad} long enough` })],
  ['password change currentPassword', '/api/password', (bad: string) => ({ currentPassword: bad, newPassword: 'a new password' })],
  ['password change newPassword', '/api/password', (bad: string) => ({ currentPassword: PASSWORD, newPassword: `${bad} long enough` })],
] as const;

function suite(server: () => DashboardServer): void {
  it.each(FIELDS.flatMap(([field, path, body]) => BAD.map(([what, bad]) => [field, what, path, body(bad)] as const)))('%s with %s: 400 invalid_input', async (_field, _what, path, body) => {
    const browser = server().browser();
    // Signed in, so the password change reaches its schema instead of stopping at 401.
    expect((await browser.register(uniqueName('victim'), PASSWORD)).status).toBe(201);
    // JSON.stringify writes NUL as \u0000 and a lone surrogate as \udXXX escapes: the parser rebuilds them.
    const res = await browser.request('POST', path, { raw: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect({ status: res.status, code: errorCode(res.body) }).toEqual({ status: 400, code: 'invalid_input' });
    // Nothing was stored or broken: the user's session still answers, the server is healthy.
    expect((await browser.session()).user).not.toBeNull();
    expect((await fetch(`${server().url}/healthz`)).status).toBe(200);
  });

  it('a well-formed surrogate pair (an emoji) in a password is fine', async () => {
    const browser = server().browser();
    const name = uniqueName('emoji');
    expect((await browser.register(name, `${PASSWORD} \u{1F600}`)).status).toBe(201);
    expect((await server().browser().login(name, `${PASSWORD} \u{1F600}`)).status).toBe(200);
  });
}

describe('on SQLite (the default)', () => {
  let server: DashboardServer;
  beforeAll(async () => {
    server = await startDashboard();
  });
  afterAll(() => server.close());
  suite(() => server);
});

describe.skipIf(!postgresAvailable)('on PostgreSQL', () => {
  let server: DashboardServer;
  const pgSchema = uniqueDbName('pg-schema');
  beforeAll(async () => {
    server = await startDashboard({ env: { DATABASE_URL }, pgSchema });
  });
  afterAll(async () => {
    await server?.close();
    await dropPgSchema(DATABASE_URL, pgSchema);
  });
  suite(() => server);
});
