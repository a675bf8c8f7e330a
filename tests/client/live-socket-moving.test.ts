// The live socket and a draining server: after `server:moving` the reconnect comes after a jittered wait.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLiveSocket, type LiveSocketHandlers } from '../../client/toolkit/index.js';
import { FakeSocket, refusal, viTimers } from './fakes.js';

function setup(random: () => number) {
  const fake = new FakeSocket();
  const noop = (): void => {};
  const handlers: LiveSocketHandlers = { onConnect: noop, onEnded: noop, onRenewed: noop, onDeadlines: noop, onSessionsChanged: noop, onRefused: vi.fn(), onPatch: noop, onDisconnect: vi.fn() };
  const live = openLiveSocket({ csrfToken: 'tok', backoff: () => 5000, timers: viTimers, moveJitterMs: 1000, random, open: () => fake.asSocket(), ...handlers });
  return { fake, handlers, live };
}

describe('when the server says it is moving the socket (draining)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reconnects after random() × moveJitterMs instead of the backoff', () => {
    const { fake } = setup(() => 0.25);
    fake.fire('connect');
    fake.fire('server:moving');
    fake.fire('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(249);
    expect(fake.connects).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fake.connects).toBe(1);
  });

  it('treats a draining refusal as retryable (backoff), not as final', () => {
    const { fake, handlers } = setup(() => 0);
    fake.active = false;
    fake.fire('connect_error', refusal('draining'));
    expect(handlers.onRefused).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5000);
    expect(fake.connects).toBe(1);
  });

  it('a later plain disconnect uses the backoff again', () => {
    const { fake } = setup(() => 0);
    fake.fire('connect');
    fake.fire('server:moving');
    fake.fire('disconnect', 'io server disconnect');
    vi.advanceTimersByTime(0);
    expect(fake.connects).toBe(1);
    fake.fire('connect');
    fake.fire('disconnect', 'transport close');
    vi.advanceTimersByTime(4999);
    expect(fake.connects).toBe(1);
    vi.advanceTimersByTime(1);
    expect(fake.connects).toBe(2);
  });
});
