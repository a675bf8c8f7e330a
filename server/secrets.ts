// The session secret: from SESSION_SECRET, or generated once into DATA_DIR (mode 0600) and reused.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'session-secret';

/**
 * Returns the signing secrets: the configured list, else the one kept in `dataDir`.
 * @example const secrets = loadSecrets(config.sessionSecrets, config.dataDir);
 */
export function loadSecrets(configured: readonly string[] | undefined, dataDir: string): string[] {
  if (configured) return [...configured];
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SECRET_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    // Tighten a file someone loosened by hand: the secret signs every cookie.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    if (existing.length >= 32) return [existing];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  // `wx` fails if another process created it meanwhile; then read theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return [secret];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return [readFileSync(file, 'utf8').trim()];
    throw error;
  }
}
