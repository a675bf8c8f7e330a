// The kit's tabs are typed by the app's server→client events: nextEvent resolves to the payload's type, an unknown name does not compile.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ServerToClientEvents } from '../../shared/events.js';
import type { EndReason, ExpiredDeadline } from '../../shared/reasons.js';
import { startTestCluster, startTestServer, type TestBrowser, type TestServer, type TestTab } from '../../server/testing/index.js';
import { createRoutesApp } from './routes-app.js';

/** An app's own map: the contract's events and one of its own. */
type ChatServerEvents = ServerToClientEvents & { 'chat:message': (message: { from: string; text: string }) => void };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(createRoutesApp);
});
afterAll(async () => server?.close());

describe('a tab of the contract’s events (the default)', () => {
  it('nextEvent resolves with session:ended’s typed payload; noEvent answers for another user’s tab', async () => {
    const ann = server.browser();
    await ann.register('ann', 'a long enough password');
    const bob = server.browser();
    await bob.register('bob', 'a long enough password');
    const [annTab, bobTab] = [await ann.openTab(), await bob.openTab()];

    const ended = annTab.nextEvent('session:ended');
    expectTypeOf(ended).resolves.toEqualTypeOf<{ reason: EndReason; deadline?: ExpiredDeadline }>();
    expectTypeOf(() => annTab.nextEvent('session:renewed')).returns.resolves.toEqualTypeOf<undefined>();
    await ann.logout();
    expect(await ended).toEqual({ reason: 'logout' });
    expect(await bobTab.noEvent('session:ended')).toBe(true);
  });

  it('refuses an event name the server never sends, at compile time', () => {
    const tab = null as unknown as TestTab;
    // @ts-expect-error: no such server→client event
    const misspelt = () => tab.nextEvent('session:endd');
    // @ts-expect-error: a client→server event, not one the server sends
    const wrongWay = () => tab.noEvent('session:touch');
    expectTypeOf(misspelt).toBeFunction();
    expectTypeOf(wrongWay).toBeFunction();
  });
});

describe('a tab of an app’s own event map', () => {
  it('types the app’s own events and keeps the contract’s', () => {
    const started = () => startTestServer<ChatServerEvents>(createRoutesApp);
    expectTypeOf(started).returns.resolves.toEqualTypeOf<TestServer<ChatServerEvents>>();
    const tab = null as unknown as TestTab<ChatServerEvents>;
    const message = () => tab.nextEvent('chat:message');
    expectTypeOf(message).returns.resolves.toEqualTypeOf<{ from: string; text: string }>();
    const ended = () => tab.nextEvent('session:ended');
    expectTypeOf(ended).returns.resolves.toHaveProperty('reason').toEqualTypeOf<EndReason>();
    // @ts-expect-error: the contract's map (the default) has no chat:message
    const notInDefault = () => (tab as unknown as TestTab).nextEvent('chat:message');
    expectTypeOf(notInDefault).toBeFunction();
  });

  it('types the browsers of a test cluster by the same map', () => {
    const cluster = () => startTestCluster<ChatServerEvents>({ app: () => createRoutesApp() });
    expectTypeOf(cluster).returns.resolves.toHaveProperty('browser').returns.toEqualTypeOf<TestBrowser<ChatServerEvents>>();
  });
});
