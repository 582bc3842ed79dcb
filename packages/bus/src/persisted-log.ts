import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '@linktrack/config';
import type { BusMessage } from './types.js';

/**
 * An append-only file of key/value frames that stands in for a compacted
 * topic in the embedded default: it survives restarts and keeps the latest
 * value per key. Frame: u32 key length (0xffffffff = no key), key, u32 value length, value.
 */
const NO_KEY = 0xffffffff;

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

export function encodeFrames(messages: BusMessage[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(m.key === null ? NO_KEY : m.key.length);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(m.value.length);
    parts.push(head, m.key ?? Buffer.alloc(0), len, m.value);
  }
  return Buffer.concat(parts);
}

export function decodeFrames(buf: Buffer): BusMessage[] {
  return decodeFramesFrom(buf).messages;
}

/**
 * Decodes complete frames from the start of `buf`, at most `limit` of them, and
 * says how many bytes they took; an incomplete frame at the end is left unread.
 */
export function decodeFramesFrom(
  buf: Buffer,
  limit = Number.POSITIVE_INFINITY,
): { messages: BusMessage[]; bytes: number } {
  const out: BusMessage[] = [];
  let at = 0;
  while (at < buf.length && out.length < limit) {
    let next = at;
    if (next + 4 > buf.length) break;
    const keyLen = buf.readUInt32LE(next);
    next += 4;
    const key = keyLen === NO_KEY ? null : buf.subarray(next, next + keyLen);
    if (key) next += keyLen;
    if (next + 4 > buf.length) break;
    const valueLen = buf.readUInt32LE(next);
    next += 4;
    if (next + valueLen > buf.length) break;
    out.push({ key: key ? Buffer.from(key) : null, value: Buffer.from(buf.subarray(next, next + valueLen)) });
    at = next + valueLen;
  }
  return { messages: out, bytes: at };
}
