// User activity (pointer, keyboard, focus, scroll) and the throttle that turns it into touches.

/** Timers as the throttle needs them; tests pass fake ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface Throttle {
  /** Something happened: run now if the interval has passed, else once when it has. */
  poke(): void;
  /**
   * Run now whatever the interval, and start a new interval (an explicit "Stay signed in"),
   * unless a run happened within `dedupeMs` (the click's own pointerdown usually just ran one).
   */
  runNow(dedupeMs?: number): void;
  /** Forget a pending run. */
  cancel(): void;
}

/**
 * Leading and trailing: the first poke runs at once, pokes within the interval collapse into one
 * run at its end, so activity late in an interval is not lost (it moves the idle deadline).
 * @example const t = createThrottle({ intervalMs: 60_000, run: touch }); window.addEventListener('keydown', t.poke);
 */
export function createThrottle({ intervalMs, run, timers = realTimers }: { intervalMs: number; run: () => void; timers?: Timers }): Throttle {
  if (!(intervalMs > 0)) throw new RangeError(`createThrottle: intervalMs must be > 0, got ${intervalMs}`);
  let last = -Infinity;
  let timer: unknown = null;
  let pending = false;

  const fire = (): void => {
    timer = null;
    if (!pending) return;
    pending = false;
    last = timers.now();
    run();
  };
  const cancel = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    pending = false;
  };

  return {
    poke() {
      const now = timers.now();
      if (timer === null && now - last >= intervalMs) {
        last = now;
        run();
        return;
      }
      pending = true;
      if (timer === null) timer = timers.setTimeout(fire, Math.max(0, last + intervalMs - now));
    },
    runNow(dedupeMs = 0) {
      if (timers.now() - last < dedupeMs) return;
      cancel();
      last = timers.now();
      run();
    },
    cancel,
  };
}

/** The input that counts as activity. Programmatic changes fire none of these except focus. */
export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll', 'focusin'] as const;

/**
 * Listens on `target` (capturing, passive, so scrolls of any element count) and on its focus.
 * Returns the function that removes every listener.
 */
export function watchActivity(target: Window, onActivity: () => void): () => void {
  const opts: AddEventListenerOptions = { capture: true, passive: true };
  const handler = (): void => onActivity();
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, handler, opts);
  target.addEventListener('focus', handler, opts);
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, handler, opts);
    target.removeEventListener('focus', handler, opts);
  };
}
