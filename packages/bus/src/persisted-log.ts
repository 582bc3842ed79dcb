import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
    writeFileSync(`${path}.tmp`, encodeFrames(kept));
    renameSync(`${path}.tmp`, path);
  }
  return kept;
}

export function appendFrames(path: string, messages: BusMessage[]): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, encodeFrames(messages));
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
  const out: BusMessage[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) return truncated(out);
    const keyLen = buf.readUInt32LE(at);
    at += 4;
    const key = keyLen === NO_KEY ? null : buf.subarray(at, at + keyLen);
    if (key) at += keyLen;
    if (at + 4 > buf.length) return truncated(out);
    const valueLen = buf.readUInt32LE(at);
    at += 4;
    if (at + valueLen > buf.length) return truncated(out);
    out.push({ key: key ? Buffer.from(key) : null, value: Buffer.from(buf.subarray(at, at + valueLen)) });
    at += valueLen;
  }
  return out;
}

/** A torn final frame (a crash mid-append) is dropped; every complete frame before it is kept. */
function truncated(out: BusMessage[]): BusMessage[] {
  return out;
}
