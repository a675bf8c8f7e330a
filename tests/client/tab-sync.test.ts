// Tab sync over BroadcastChannel: only known messages, never a token, unsubscribe and close.
import { describe, expect, it, vi } from 'vitest';
import { createTabSync } from '../../client/toolkit/index.js';
import { channelPair } from './fakes.js';

describe('createTabSync', () => {
  it('tells the other tab that this one signed in, and nothing more', () => {
    const [a, b] = channelPair();
    const one = createTabSync({ open: () => a });
    const two = createTabSync({ open: () => b });
    const heard = vi.fn();
    two.subscribe(heard);
    one.post({ type: 'signed-in', csrfToken: 'secret', username: 'alice' } as unknown as { type: 'signed-in' });
    expect(heard).toHaveBeenCalledWith({ type: 'signed-in' });
  });

  it('carries the reason of an ended session', () => {
    const [a, b] = channelPair();
    const heard = vi.fn();
    createTabSync({ open: () => b }).subscribe(heard);
    createTabSync({ open: () => a }).post({ type: 'ended', reason: 'logout' });
    expect(heard).toHaveBeenCalledWith({ type: 'ended', reason: 'logout' });
  });

  it('ignores messages it does not know (another app on the channel, an old version)', () => {
    const [a, b] = channelPair();
    const heard = vi.fn();
    createTabSync({ open: () => b }).subscribe(heard);
    a.postMessage({ type: 'ended', reason: 'bored' });
    a.postMessage('hello');
    expect(heard).not.toHaveBeenCalled();
  });

  it('stops listening on unsubscribe and closes the channel', () => {
    const [a, b] = channelPair();
    const two = createTabSync({ open: () => b });
    const heard = vi.fn();
    const stop = two.subscribe(heard);
    stop();
    createTabSync({ open: () => a }).post({ type: 'renewed' });
    expect(heard).not.toHaveBeenCalled();
    two.close();
    expect(b.closed).toBe(true);
  });

  it('does nothing without BroadcastChannel', () => {
    const sync = createTabSync({ open: () => null });
    expect(() => sync.post({ type: 'signed-in' })).not.toThrow();
    expect(sync.subscribe(() => {})).toBeTypeOf('function');
  });
});
