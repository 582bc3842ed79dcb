import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '@linktrack/config';

/**
 * The secret the enricher's daily visitor-hash salts derive from:
 * LINKTRACK_VISITOR_SALT_SECRET when set (every enricher instance must share
 * it), otherwise one generated once and kept in the data dir (mode 0600),
 * which is enough for a single enricher. It never leaves this process.
 */
export function resolveVisitorSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'visitor-salt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 16) return secret;
  }
  ensurePrivateDir(dataDir);
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
