// A password hasher whose verifications a test can hold: a request "in flight" for as long as the test wants.
import { createHasher, type PasswordHasher } from '../../server/auth/passwords.js';

export interface GatedHasher extends PasswordHasher {
  /** Holds the next `count` verifications of `password`: `arrived` once all are held, `release` lets them go. */
  hold(password: string, count: number): { arrived: Promise<void>; release(): void };
}

/**
 * Cheap argon2id (as the test servers use) with gates.
 * @example const hasher = gatedHasher(); const gate = hasher.hold(pw, 1); const login = browser.login(name, pw); await gate.arrived; ...; gate.release();
 */
export function gatedHasher(): GatedHasher {
  const inner = createHasher({ memoryCost: 1024, timeCost: 1 });
  const gates = new Map<string, { left: number; wait: Promise<void>; arrive(): void }>();
  return {
    hash: (password) => inner.hash(password),
    async verify(hash, password) {
      const ok = await inner.verify(hash, password);
      const gate = gates.get(password);
      if (gate && gate.left > 0) {
        gate.left -= 1;
        if (gate.left === 0) gate.arrive();
        await gate.wait;
      }
      return ok;
    },
    hold(password, count) {
      let release!: () => void;
      let arrive!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const wait = new Promise<void>((resolve) => (release = resolve));
      gates.set(password, { left: count, wait, arrive });
      return {
        arrived,
        release: () => {
          gates.delete(password);
          release();
        },
      };
    },
  };
}
