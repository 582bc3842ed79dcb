import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * The data dir holds the api key, click spools and the engine's data:
 * directories are 0700 and files 0600, whatever the process umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) as 0700; an existing dir that others can read is tightened. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(dir, mode & 0o700);
}
