// At most N calls at once, the rest waiting their turn: a burst of work that all needs Redis (a
// reconnect storm) keeps its calls short instead of timing them all out together.

/** A call refused because too many were already waiting, or because it waited too long. */
export class GateFullError extends Error {
  readonly code = 'gate_full';
  constructor(why: string) {
    super(why);
    this.name = 'GateFullError';
  }
}

export interface CallGate {
  /** Runs `call` once fewer than `max` are running (first come, first served). */
  run<T>(call: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

/**
 * Why: a node's calls to Redis are answered in a fraction of a millisecond, but what each answer
 * resumes (a handshake joining rooms, pushes) is CPU of this one thread. Thousands issued at once
 * come back at once and are resumed one after the other, so the later ones pass their time bound
 * although Redis answered long before, and each refusal comes back as another attempt (measured in
 * the storm scenario of bench/README.md). Issued through a gate, a call's bound starts when it is
 * sent, and a call that cannot even wait (`maxWaiting`) is refused at once, before any work; one
 * that waited `maxWaitMs` gives up (so with Redis hanging, a caller waits at most that plus the
 * call's own bound).
 * @example const gate = createCallGate({ max: 64 }); await gate.run(() => bounded(client.get(key), 1000));
 */
export function createCallGate({ max, maxWaiting = Number.POSITIVE_INFINITY, maxWaitMs = Number.POSITIVE_INFINITY }: { max: number; maxWaiting?: number; maxWaitMs?: number }): CallGate {
  if (!(max >= 1)) throw new Error('createCallGate: max must be at least 1');
  let running = 0;
  const queue: Array<() => void> = [];
  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  };
  /** Resolves when release() hands this waiter the slot; rejects (leaving the queue) after maxWaitMs. */
  const wait = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const take = (): void => {
        clearTimeout(timer);
        resolve();
      };
      queue.push(take);
      if (Number.isFinite(maxWaitMs)) {
        timer = setTimeout(() => {
          queue.splice(queue.indexOf(take), 1);
          reject(new GateFullError(`waited ${maxWaitMs} ms for one of ${max} calls to finish`));
        }, maxWaitMs);
      }
    });
  return {
    async run<T>(call: () => Promise<T>): Promise<T> {
      if (running < max) running += 1;
      else if (queue.length >= maxWaiting) throw new GateFullError(`${queue.length} calls already waiting`);
      // The slot is handed over by release(): `running` stays as it is.
      else await wait();
      try {
        return await call();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
