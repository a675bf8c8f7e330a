// The gate in front of Redis calls: at most N at once, the rest in turn, overflow refused at once.
import { describe, expect, it, vi } from 'vitest';
import { createCallGate, GateFullError } from '../../server/scale/call-gate.js';

/** A call that finishes when the test says so. */
function held<T>(value: T): { call: () => Promise<T>; started: boolean; finish: () => void } {
  let finish = (): void => {};
  const handle = {
    started: false,
    finish: () => finish(),
    call: () => {
      handle.started = true;
      return new Promise<T>((resolve) => (finish = () => resolve(value)));
    },
  };
  return handle;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('a call gate of two', () => {
  it('starts a third call only when one of the first two has finished, in arrival order', async () => {
    const gate = createCallGate({ max: 2 });
    const calls = [held('a'), held('b'), held('c'), held('d')];
    const results = calls.map((c) => gate.run(c.call));
    await turn();
    expect(calls.map((c) => c.started)).toEqual([true, true, false, false]);
    expect([gate.running, gate.waiting]).toEqual([2, 2]);
    calls[1]!.finish();
    await turn();
    expect(calls.map((c) => c.started)).toEqual([true, true, true, false]);
    calls[0]!.finish();
    calls[2]!.finish();
    await turn();
    calls[3]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('gives the slot of a failed call to the next one', async () => {
    const gate = createCallGate({ max: 1 });
    const failing = gate.run(() => Promise.reject(new Error('redis down')));
    const next = held('next');
    const after = gate.run(next.call);
    await expect(failing).rejects.toThrow('redis down');
    await turn();
    expect(next.started).toBe(true);
    next.finish();
    expect(await after).toBe('next');
  });

  it('refuses at once a call that would wait behind maxWaiting others, without running it', async () => {
    const gate = createCallGate({ max: 1, maxWaiting: 1 });
    const first = held(1);
    const second = held(2);
    const third = held(3);
    const running = gate.run(first.call);
    const waiting = gate.run(second.call);
    await expect(gate.run(third.call)).rejects.toBeInstanceOf(GateFullError);
    expect(third.started).toBe(false);
    first.finish();
    await turn();
    second.finish();
    expect([await running, await waiting]).toEqual([1, 2]);
  });
});

describe('a call gate whose waiters may wait 1 s', () => {
  it('refuses a call that waited 1 s without a slot, and still runs the ones behind it', async () => {
    vi.useFakeTimers();
    try {
      const gate = createCallGate({ max: 1, maxWaitMs: 1000 });
      const first = held('first');
      const running = gate.run(first.call);
      const late = gate.run(held('late').call);
      const lateFailure = expect(late).rejects.toBeInstanceOf(GateFullError);
      await vi.advanceTimersByTimeAsync(600);
      const next = held('next');
      const after = gate.run(next.call);
      await vi.advanceTimersByTimeAsync(400);
      await lateFailure;
      expect(gate.waiting).toBe(1);
      first.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(next.started).toBe(true);
      next.finish();
      expect([await running, await after]).toEqual(['first', 'next']);
    } finally {
      vi.useRealTimers();
    }
  });
});
