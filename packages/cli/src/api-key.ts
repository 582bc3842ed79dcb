import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '@linktrack/config';
import { CliError } from './errors.js';

export interface ResolvedApiKey {
  key: string;
  /** Where a generated key is kept; null when it came from LINKTRACK_API_KEY. */
  file: string | null;
  generated: boolean;
}

const MIN_LENGTH = 16;

/**
 * LINKTRACK_API_KEY wins; otherwise a key generated once and kept in the data
 * dir (mode 0600). A key file that is empty or short stops the start: an
 * empty key must never mean "no authentication".
 */
export function resolveApiKey(configured: string | null, dataDir: string): ResolvedApiKey {
  if (configured) return { key: configured, file: null, generated: false };
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < MIN_LENGTH) {
      throw new CliError(
        'LT_CLI_API_KEY',
        `${file}: the api key there is ${key.length === 0 ? 'empty' : `${key.length} characters`}; it must be at least ${MIN_LENGTH}. Delete the file to have a new key generated, or set LINKTRACK_API_KEY`,
      );
    }
    return { key, file, generated: false };
  }
  ensurePrivateDir(dataDir);
  const key = `lt_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, file, generated: true };
}
