import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/testing/index.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('smoke', () => {
  it('signs in and out with three tabs', async () => {
    const alice = server.browser();
    const r = await alice.register('alice', 'correct horse');
    expect(r.status).toBe(201);
    const tabs = await Promise.all([alice.openTab(), alice.openTab(), alice.openTab()]);
    const list = await alice.sessions();
    expect(list.sessions[0]?.sockets).toBe(3);
    const ended = tabs.map((t) => t.ended());
    expect((await alice.logout()).status).toBe(204);
    expect(await Promise.all(ended)).toEqual(['logout', 'logout', 'logout']);
  });
});
