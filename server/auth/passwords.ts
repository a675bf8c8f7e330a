// Password hashing with argon2id; unknown users are verified against a dummy hash (no timing leak).
import type { Algorithm } from '@node-rs/argon2';
import type { PasswordHasher } from '../express/index.js';

// @node-rs/argon2 exports Algorithm as an ambient const enum, which isolated modules cannot read.
const ARGON2ID = 2 as Algorithm;

// Loaded on the first sign-in or registration, not at start: the native module is ~4 MB of idle RSS.
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = (): Promise<typeof import('@node-rs/argon2')> => (argon2 ??= import('@node-rs/argon2'));

export type { PasswordHasher };

export interface HasherOptions {
  /** KiB; OWASP's argon2id minimum is 19 MiB with 2 passes. Tests may lower it. */
  memoryCost?: number;
  timeCost?: number;
}

/**
 * @example const hasher = createHasher(); const h = await hasher.hash('correct horse');
 */
export function createHasher({ memoryCost = 19_456, timeCost = 2 }: HasherOptions = {}): PasswordHasher {
  const options = { algorithm: ARGON2ID, memoryCost, timeCost, parallelism: 1 };
  let dummy: Promise<string> | undefined;
  return {
    hash: async (password) => (await loadArgon2()).hash(password, options),
    async verify(stored, password) {
      const { hash, verify } = await loadArgon2();
      // An unknown user costs the same hash as a known one, so timing does not reveal who exists.
      dummy ??= hash('not-a-real-password', options);
      const target = stored ?? (await dummy);
      const ok = await verify(target, password).catch(() => false);
      return ok && stored !== undefined;
    },
  };
}
