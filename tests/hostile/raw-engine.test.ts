// Malformed engine.io and Socket.IO packets over a raw WebSocket: the connection ends, nothing else does.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorAck, expectUnharmed, RawSocket, startArena, type Arena } from './support.js';

let arena: Arena;
beforeAll(async () => {
  arena = await startArena();
});
afterAll(() => arena.close());

const sockets = (): number => arena.server.tether.io.of('/').sockets.size;
const rooms = (): number => arena.server.tether.io.of('/').adapter.rooms.size;

/** A connected raw socket of a fresh user, with the namespace's socket and room counts before it. */
async function connectedAttacker(): Promise<{ raw: RawSocket; socketsBefore: number; roomsBefore: number }> {
  const socketsBefore = sockets();
  const roomsBefore = rooms();
  const raw = await RawSocket.connected(arena.server, await arena.signedIn('attacker'));
  expect(sockets()).toBe(socketsBefore + 1);
  return { raw, socketsBefore, roomsBefore };
}

/** The server closed the connection, and its socket and rooms are gone with it. */
async function expectCutOff(raw: RawSocket, socketsBefore: number, roomsBefore: number): Promise<void> {
  await raw.closedWithin(2000);
  await vi.waitFor(() => expect([sockets(), rooms()]).toEqual([socketsBefore, roomsBefore]), { timeout: 2000, interval: 10 });
}

describe('a connected raw socket that sends', () => {
  it.each([
    ['a text frame that is no engine.io packet', 'garbage'],
    ['an engine.io packet type that does not exist', '9hello'],
    ['an engine.io message that is no Socket.IO packet', '4garbage'],
    ['an event whose JSON is broken', '42["session:touch",{]'],
    ['an event that is not an array', '42{"event":"session:touch"}'],
    ['an event with a reserved name', '42["disconnect"]'],
    ['a binary event claiming 1,000,000 attachments', '451000000-["session:touch",{"_placeholder":true,"num":0}]'],
    ['a binary event with a negative attachment count', '45-1-["session:touch"]'],
    ['a second CONNECT on a connected namespace', '40{}'],
  ])('%s is disconnected, and only that connection', async (_what, packet) => {
    const { raw, socketsBefore, roomsBefore } = await connectedAttacker();
    raw.send(packet);
    await expectCutOff(raw, socketsBefore, roomsBefore);
    await expectUnharmed(arena);
  });

  it('binary data with no binary event announced is disconnected', async () => {
    const { raw, socketsBefore, roomsBefore } = await connectedAttacker();
    raw.send(Buffer.from([1, 2, 3, 4]));
    await expectCutOff(raw, socketsBefore, roomsBefore);
    await expectUnharmed(arena);
  });

  it('a binary event whose placeholder points past its attachments is disconnected', async () => {
    const { raw, socketsBefore, roomsBefore } = await connectedAttacker();
    raw.send('451-["session:touch",{"_placeholder":true,"num":5}]');
    raw.send(Buffer.from([1, 2, 3]));
    await expectCutOff(raw, socketsBefore, roomsBefore);
    await expectUnharmed(arena);
  });

  it('an ack for an id the server never asked for is ignored, and the socket keeps working', async () => {
    const { raw } = await connectedAttacker();
    raw.send('43999["forged"]');
    raw.send('427["session:touch"]');
    const ack = await raw.next((m) => m.startsWith('437['));
    expect((JSON.parse(ack.slice(3)) as unknown[])[0]).toEqual({ ok: true, idleExpiresAt: expect.any(Number), absoluteExpiresAt: expect.any(Number) });
    raw.close();
    await expectUnharmed(arena);
  });

  it('an ack id past the safe integer range still gets its error ack, and nothing breaks', async () => {
    const { raw } = await connectedAttacker();
    raw.send('4299999999999999999999["nope"]');
    const ack = await raw.next((m) => m.startsWith('43'));
    expect((JSON.parse(ack.slice(ack.indexOf('['))) as unknown[])[0]).toEqual(errorAck('unknown_event'));
    raw.close();
    await expectUnharmed(arena);
  });
});

describe('a raw connection that has not joined the namespace', () => {
  it('sending an event before CONNECT is disconnected', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.open(arena.server, { cookie: attacker.cookieHeader });
    raw.send('42["session:touch",{}]');
    await raw.closedWithin(2000);
    await expectUnharmed(arena);
  });

  it('a CONNECT to a namespace that does not exist gets CONNECT_ERROR "Invalid namespace"', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.open(arena.server, { cookie: attacker.cookieHeader });
    raw.send(`40/admin,${JSON.stringify({ csrfToken: attacker.csrfToken })}`);
    const refusal = await raw.next((m) => m.startsWith('44/admin,'));
    expect(JSON.parse(refusal.slice('44/admin,'.length))).toEqual({ message: 'Invalid namespace' });
    raw.close();
    await expectUnharmed(arena);
  });

  it('a CONNECT whose auth is not an object is disconnected', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.open(arena.server, { cookie: attacker.cookieHeader });
    raw.send(`40${JSON.stringify([attacker.csrfToken])}`);
    await raw.closedWithin(2000);
    await expectUnharmed(arena);
  });

  it('a frame over 64 KB before anything else closes the connection (maxHttpBufferSize)', async () => {
    const attacker = await arena.signedIn('attacker');
    const raw = await RawSocket.open(arena.server, { cookie: attacker.cookieHeader });
    raw.send(`40${JSON.stringify({ csrfToken: 'x'.repeat(70 * 1024) })}`);
    expect(await raw.closedWithin(2000)).toBe(1009);
    await expectUnharmed(arena);
  });
});
