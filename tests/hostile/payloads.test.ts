// Attacks by payload: wrong shapes, deep nesting, huge strings, prototype-pollution keys, binary, unknown events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../server/testing/index.js';
import { emitWithAck, errorAck, errorCode, expectUnharmed, loose, PASSWORD, RawSocket, startArena, type Arena } from './support.js';

let arena: Arena;
beforeAll(async () => {
  arena = await startArena();
});
afterAll(() => arena.close());

const attackerTab = async () => (await arena.signedIn('attacker')).openTab();

/** The ack of a raw `421[...]` event: `431[ack]` parsed. */
const rawAck = async (raw: RawSocket, id: number): Promise<unknown> => {
  const message = await raw.next((m) => m.startsWith(`43${id}[`));
  return (JSON.parse(message.slice(`43${id}`.length)) as unknown[])[0];
};

describe('session:touch with a payload of the wrong shape', () => {
  it.each([
    ['null', [null]],
    ['an array', [[1, 2, 3]]],
    ['a string', ['{}']],
    ['a number', [42]],
    ['an object with keys', [{ idleExpiresAt: 9_999_999_999_999 }]],
    ['two payloads', [{}, {}]],
  ])('%s is answered invalid_input and moves no deadline', async (_what, args) => {
    const tab = await attackerTab();
    expect(await emitWithAck(tab, 'session:touch', args)).toEqual(errorAck('invalid_input'));
    expect(tab.connected).toBe(true);
    tab.close();
    await expectUnharmed(arena);
  });
});

describe('deep nesting', () => {
  it('30,000 nested arrays in one frame are answered invalid_input (no stack overflow)', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.connected(arena.server, attacker);
    const depth = 30_000;
    raw.send(`421["session:touch",${'['.repeat(depth)}${']'.repeat(depth)}]`);
    expect(await rawAck(raw, 1)).toEqual(errorAck('invalid_input'));
    raw.close();
    await expectUnharmed(arena);
  });

  it('a deeply nested JSON body is answered 400 invalid_input', async () => {
    const b = new TestBrowser(arena.server.url);
    await b.session();
    // 2,000 levels: about 12 KB, under the body limit, so the parser and the schema see it.
    const depth = 2_000;
    const raw = `{"username":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"password":"x"}`;
    const res = await b.request('POST', '/api/login', { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('invalid_input');
    await expectUnharmed(arena);
  });
});

describe('5 MB strings', () => {
  it('in a socket event: the frame is over 64 KB, so that socket alone is cut off', async () => {
    const tab = await attackerTab();
    const sibling = await attackerTab();
    loose(tab).emit('session:touch', { pad: 'x'.repeat(5 * 1024 * 1024) });
    expect(await tab.disconnected()).toBe('transport close');
    expect(sibling.connected).toBe(true);
    sibling.close();
    await expectUnharmed(arena);
  });

  it('in an HTTP body: 413 payload_too_large', async () => {
    const b = new TestBrowser(arena.server.url);
    await b.session();
    const res = await b.request('POST', '/api/login', { body: { username: 'x'.repeat(5 * 1024 * 1024), password: PASSWORD } });
    expect(res.status).toBe(413);
    expect(errorCode(res.body)).toBe('payload_too_large');
    await expectUnharmed(arena);
  });
});

describe('prototype-pollution keys', () => {
  const polluted = (): unknown => (Object.prototype as Record<string, unknown>).polluted;

  it.each([
    ['__proto__', '{"__proto__":{"polluted":true}}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
  ])('a socket payload with %s is answered invalid_input and pollutes nothing', async (_key, json) => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.connected(arena.server, attacker);
    raw.send(`421["session:touch",${json}]`);
    expect(await rawAck(raw, 1)).toEqual(errorAck('invalid_input'));
    // The server runs in this process: its Object.prototype is ours.
    expect(polluted()).toBeUndefined();
    raw.close();
    await expectUnharmed(arena);
  });

  it.each([
    ['__proto__', '{"username":"someone","password":"correct horse","__proto__":{"polluted":true}}'],
    ['constructor', '{"username":"someone","password":"correct horse","constructor":{"prototype":{"polluted":true}}}'],
  ])('an HTTP body with %s is answered 400 invalid_input and pollutes nothing', async (_key, raw) => {
    const b = new TestBrowser(arena.server.url);
    await b.session();
    const res = await b.request('POST', '/api/register', { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('invalid_input');
    expect(polluted()).toBeUndefined();
    await expectUnharmed(arena);
  });

  it('a handshake auth whose token hides under __proto__ is csrf_invalid', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.open(arena.server, { cookie: attacker.cookieHeader });
    raw.send(`40{"__proto__":{"csrfToken":${JSON.stringify(attacker.csrfToken)}}}`);
    const refusal = await raw.next((m) => m.startsWith('44'));
    expect(JSON.parse(refusal.slice(2))).toEqual({ message: 'csrf_invalid', data: { code: 'csrf_invalid' } });
    raw.close();
    await expectUnharmed(arena);
  });
});

describe('handshake auth of the wrong shape', () => {
  it.each([
    ['a 10 KB token', { csrfToken: 'x'.repeat(10_000) }],
    ['a token in an array', { csrfToken: ['x'] }],
    ['a number', { csrfToken: 12345 }],
  ])('%s is csrf_invalid', async (_what, auth) => {
    const attacker = await arena.signedIn('attacker');
    expect(await attacker.refusedTab({ csrfToken: auth.csrfToken as string })).toBe('csrf_invalid');
    await expectUnharmed(arena);
  });
});

describe('binary attachments', () => {
  it('a Buffer as the touch payload, or inside it, is answered invalid_input', async () => {
    const tab = await attackerTab();
    expect(await emitWithAck(tab, 'session:touch', [Buffer.alloc(1024, 1)])).toEqual(errorAck('invalid_input'));
    expect(await emitWithAck(tab, 'session:touch', [{ blob: Buffer.alloc(1024, 2) }])).toEqual(errorAck('invalid_input'));
    expect(tab.connected).toBe(true);
    tab.close();
    await expectUnharmed(arena);
  });

  it('an unknown event carrying binary is answered unknown_event', async () => {
    const tab = await attackerTab();
    expect(await emitWithAck(tab, 'upload', [Buffer.alloc(32 * 1024)])).toEqual(errorAck('unknown_event'));
    tab.close();
    await expectUnharmed(arena);
  });
});

describe('unknown events', () => {
  it.each([
    ['admin:promote', 'admin:promote'],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['toString', 'toString'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['a 10,000-character name', 'x'.repeat(10_000)],
  ])('%s with an ack is answered unknown_event', async (_name, event) => {
      const tab = await attackerTab();
    expect(await emitWithAck(tab, event, [{}])).toEqual(errorAck('unknown_event'));
    tab.close();
    await expectUnharmed(arena);
  });

  it('without an ack are ignored, counted, and leave the socket working', async () => {
    const tab = await attackerTab();
    const before = arena.server.tether.sockets.counters.unknownEvents;
    loose(tab).emit('admin:promote', { role: 'root' });
    loose(tab).emit('admin:promote');
    // Events of one socket are handled in order: once this ack is back, both were seen.
    expect(await tab.touch()).toMatchObject({ ok: true });
    expect(arena.server.tether.sockets.counters.unknownEvents).toBe(before + 2);
    tab.close();
    await expectUnharmed(arena);
  });

  it('a numeric event name (allowed by the Socket.IO parser) is answered unknown_event', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.connected(arena.server, attacker);
    raw.send('421[42,{}]');
    expect(await rawAck(raw, 1)).toEqual(errorAck('unknown_event'));
    raw.close();
    await expectUnharmed(arena);
  });
});
