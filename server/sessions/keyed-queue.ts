// Runs async work one after another per key (a session ID): the serialization every transition needs.

/**
 * Returns `inTurn(key, run)`: `run` starts once every earlier `run` of the same key has settled.
 * Keys with nothing queued cost nothing.
 * @example const inTurn = createKeyedQueue(); await inTurn(sessionId, () => endIt());
 */
export function createKeyedQueue(): <T>(key: string, run: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const before = tails.get(key);
    const result = before ? before.then(run) : run();
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => tails.get(key) === tail && tails.delete(key));
    return result;
  };
}
