import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMinHeap } from '../../server/sessions/min-heap.js';

describe('the min-heap of due times', () => {
  it('pops entries in order of `at`, whatever order they were pushed in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 })), (ats) => {
        const heap = createMinHeap<{ at: number }>();
        for (const at of ats) heap.push({ at });
        const out: number[] = [];
        for (let e = heap.pop(); e; e = heap.pop()) out.push(e.at);
        expect(out).toEqual([...ats].sort((a, b) => a - b));
      }),
    );
  });

  it('rebuild keeps only what it is told to, still in order', () => {
    const heap = createMinHeap<{ at: number }>();
    for (const at of [5, 1, 9, 3, 7, 2]) heap.push({ at });
    heap.rebuild((e) => e.at % 2 === 1);
    const out: number[] = [];
    for (let e = heap.pop(); e; e = heap.pop()) out.push(e.at);
    expect(out).toEqual([1, 3, 5, 7, 9]);
  });
});
