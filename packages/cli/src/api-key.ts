import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ResolvedApiKey {
  key: string;
  /** Where a generated key is kept; null when it came from LINKTRACK_API_KEY. */
  file: string | null;
  generated: boolean;
}

/** LINKTRACK_API_KEY wins; otherwise a key generated once and kept in the data dir (mode 0600). */
export function resolveApiKey(configured: string | null, dataDir: string): ResolvedApiKey {
  if (configured) return { key: configured, file: null, generated: false };
  const file = join(dataDir, 'api-key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), file, generated: false };
  mkdirSync(dataDir, { recursive: true });
  const key = `lt_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, file, generated: true };
}
