// Waiting for socket events with a timeout: tests wait for what happens, never sleep.

/** Anything with once/off: a typed Socket.IO client socket, a Node EventEmitter. */
type Emitter = { once: unknown; off: unknown };
type Loose = { once(event: string, listener: (value: never) => void): unknown; off(event: string, listener: (value: never) => void): unknown };

/**
 * Resolves with the first argument of the next `event`, or rejects after `timeoutMs`.
 * @example const { reason } = await nextEvent<{ reason: string }>(tab.socket, 'session:ended');
 */
export function nextEvent<T = unknown>(target: Emitter, event: string, timeoutMs = 2000): Promise<T> {
  // Typed sockets narrow event names; this helper is for any name, so it loosens them here.
  const emitter = target as Loose;
  return new Promise((resolve, reject) => {
    const listener = (value: T): void => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/**
 * Resolves true if `event` does NOT happen within `ms` (for "the other user stays connected").
 * Prefer asserting a positive event first, then this with a short window.
 */
export function noEvent(emitter: Emitter, event: string, ms = 200): Promise<boolean> {
  return nextEvent(emitter, event, ms).then(
    () => false,
    () => true,
  );
}
