// A binary min-heap ordered by `at`: the due times of the deadline timers.

export interface HeapEntry {
  at: number;
}

/** @example const heap = createMinHeap<{ at: number; id: string }>(); heap.push({ at: 5, id: 'a' }); heap.pop(); */
export function createMinHeap<T extends HeapEntry>() {
  let items: T[] = [];
  const swap = (i: number, j: number): void => {
    const a = items[i]!;
    items[i] = items[j]!;
    items[j] = a;
  };
  const up = (index: number): void => {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= items[i]!.at) return;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (index: number): void => {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < items.length && items[left]!.at < items[least]!.at) least = left;
      if (right < items.length && items[right]!.at < items[least]!.at) least = right;
      if (least === i) return;
      swap(i, least);
      i = least;
    }
  };
  return {
    push(item: T): void {
      items.push(item);
      up(items.length - 1);
    },
    peek: (): T | undefined => items[0],
    pop(): T | undefined {
      const top = items[0];
      const last = items.pop();
      if (top !== undefined && last !== undefined && items.length > 0) {
        items[0] = last;
        down(0);
      }
      return top;
    },
    /** Keeps only the entries `keep` accepts (used to drop stale ones in one pass). */
    rebuild(keep: (item: T) => boolean): void {
      items = items.filter(keep);
      for (let i = (items.length >> 1) - 1; i >= 0; i--) down(i);
    },
    get size(): number {
      return items.length;
    },
    clear(): void {
      items = [];
    },
  };
}
