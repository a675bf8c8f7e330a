// Retries a step that needs the store or the adapter until it succeeds, with stepped backoff.
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

export type Backoff = (tries: number) => number;

/** Phoenix's stepped backoff, capped at 5 s. */
export const defaultBackoff: Backoff = (tries) => [10, 50, 100, 150, 200, 250, 500, 1000, 2000][tries - 1] ?? 5000;

export interface RetryOptions {
  clock: Clock;
  log: Logger;
  backoff?: Backoff;
  /** Stop trying after this many attempts (a store that never comes back must not leak timers). */
  maxTries?: number;
}

/**
 * Runs `step` now; on failure keeps retrying in the background. Resolves true when it succeeded
 * on the first try, false when it was left to retry.
 * @example await retryInBackground('destroy session', () => store.destroy(sid, 'logout'), opts);
 */
export async function retryInBackground(what: string, step: () => Promise<void>, { clock, log, backoff = defaultBackoff, maxTries = 2000 }: RetryOptions): Promise<boolean> {
  try {
    await step();
    return true;
  } catch (error) {
    log.warn({ err: errorSummary(error), what }, 'step failed; retrying in the background');
  }
  let tries = 1;
  const again = (): void => {
    tries += 1;
    step().then(
      () => log.info({ what, tries }, 'step succeeded after retrying'),
      (error: unknown) => {
        if (tries >= maxTries) return log.error({ err: errorSummary(error), what, tries }, 'giving up');
        clock.setTimeout(again, backoff(tries));
      },
    );
  };
  clock.setTimeout(again, backoff(tries));
  return false;
}

export function errorSummary(error: unknown): { message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
  }
  return { message: String(error) };
}
