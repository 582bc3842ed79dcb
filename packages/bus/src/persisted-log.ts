import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '@linktrack/config';
import { decodeFrames, encodeFrames } from './frames.js';
import type { BusMessage } from './types.js';

/**
 * An append-only file of key/value frames (frames.ts) that stands in for a
 * compacted topic in the embedded default: it survives restarts and keeps the
 * latest value per key.
 */
export function readCompacted(path: string): BusMessage[] {
  if (!existsSync(path)) return [];
  const all = decodeFrames(readFileSync(path));
  const latest = new Map<string, BusMessage>();
  const unkeyed: BusMessage[] = [];
  for (const m of all) {
    if (m.key === null) unkeyed.push(m);
    else {
      const k = m.key.toString('hex');
      latest.delete(k); // re-insert so iteration order follows the newest write
      latest.set(k, m);
    }
  }
  const kept = [...unkeyed, ...latest.values()];
  // Rewrite when compaction removed a lot, so start-up stays fast.
  if (kept.length * 2 < all.length) {
    writeFileSync(`${path}.tmp`, encodeFrames(kept), { mode: PRIVATE_FILE_MODE });
    renameSync(`${path}.tmp`, path);
  }
  return kept;
}

export function appendFrames(path: string, messages: BusMessage[]): void {
  ensurePrivateDir(dirname(path));
  appendFileSync(path, encodeFrames(messages), { mode: PRIVATE_FILE_MODE });
}
