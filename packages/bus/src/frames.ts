import type { BusMessage } from './types.js';

/**
 * Key/value frames: u32 key length (0xffffffff = no key), key, u32 value
 * length, value, little-endian. One buffer holds a whole batch: the redirect
 * builds its batches this way, a batch crosses to the bus's thread as one
 * copy, and the spool and the persisted topics store the same bytes.
 */
export const NO_KEY = 0xffffffff;

export function encodeFrames(messages: readonly BusMessage[]): Buffer {
  let size = 0;
  for (const m of messages) size += 8 + (m.key?.length ?? 0) + m.value.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const m of messages) {
    out.writeUInt32LE(m.key === null ? NO_KEY : m.key.length, at);
    at += 4;
    if (m.key) at += m.key.copy(out, at);
    out.writeUInt32LE(m.value.length, at);
    at += 4;
    at += m.value.copy(out, at);
  }
  return out;
}

/** Where the complete frames at the start of `buf` end, and how many there are, within the limits. */
export function frameExtent(
  buf: Buffer,
  limit = Number.POSITIVE_INFINITY,
  maxBytes = Number.POSITIVE_INFINITY,
): { count: number; bytes: number } {
  let at = 0;
  let count = 0;
  while (count < limit && at + 4 <= buf.length) {
    const keyLen = buf.readUInt32LE(at);
    let next = at + 4 + (keyLen === NO_KEY ? 0 : keyLen);
    if (next + 4 > buf.length) break;
    next += 4 + buf.readUInt32LE(next);
    if (next > buf.length || (count > 0 && next > maxBytes)) break;
    at = next;
    count += 1;
  }
  return { count, bytes: at };
}

/**
 * The complete frames at the start of `buf`, at most `limit`, and how many
 * bytes they took; a torn frame at the end is left unread. `copy` gives each
 * key and value its own memory (for what outlives `buf`); views otherwise.
 */
export function decodeFramesFrom(
  buf: Buffer,
  limit = Number.POSITIVE_INFINITY,
  copy = true,
): { messages: BusMessage[]; bytes: number } {
  const out: BusMessage[] = [];
  let at = 0;
  const slice = copy
    ? (s: number, e: number) => Buffer.from(buf.subarray(s, e))
    : (s: number, e: number) => buf.subarray(s, e);
  while (at < buf.length && out.length < limit) {
    let next = at;
    if (next + 4 > buf.length) break;
    const keyLen = buf.readUInt32LE(next);
    next += 4;
    const keyEnd = keyLen === NO_KEY ? next : next + keyLen;
    if (keyEnd + 4 > buf.length) break;
    const valueLen = buf.readUInt32LE(keyEnd);
    const valueStart = keyEnd + 4;
    if (valueStart + valueLen > buf.length) break;
    out.push({
      key: keyLen === NO_KEY ? null : slice(next, keyEnd),
      value: slice(valueStart, valueStart + valueLen),
    });
    at = valueStart + valueLen;
  }
  return { messages: out, bytes: at };
}

export function decodeFrames(buf: Buffer): BusMessage[] {
  return decodeFramesFrom(buf).messages;
}

/** The messages of a frames buffer as views into it: no copies, `buf` stays alive while they do. */
export function viewFrames(buf: Buffer): BusMessage[] {
  return decodeFramesFrom(buf, Number.POSITIVE_INFINITY, false).messages;
}

/**
 * Builds a frames buffer a message at a time, writing each value in place:
 * `write(buf, at)` returns where the value ends, or a negative number when the
 * buffer is too small (avsc's convention), and is then called again on a larger one.
 */
export class FrameWriter {
  private buf: Buffer;
  private at = 0;
  private n = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get count(): number {
    return this.n;
  }

  get bytes(): number {
    return this.at;
  }

  add(key: string | null, write: (buf: Buffer, at: number) => number): void {
    const keyBytes = key === null ? 0 : Buffer.byteLength(key);
    for (let room = 512; ; room *= 2) {
      this.reserve(8 + keyBytes + room);
      let at = this.at;
      this.buf.writeUInt32LE(key === null ? NO_KEY : keyBytes, at);
      at += 4;
      if (key !== null) at += this.buf.write(key, at);
      const valueStart = at + 4;
      const end = write(this.buf, valueStart);
      if (end < 0) {
        room = Math.max(room, -end + (valueStart - this.at));
        continue;
      }
      this.buf.writeUInt32LE(end - valueStart, at);
      this.at = end;
      this.n += 1;
      return;
    }
  }

  /** The frames written so far, in a buffer of their own size; the writer starts over. */
  take(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.at);
    this.buf.copy(out, 0, 0, this.at);
    this.at = 0;
    this.n = 0;
    return out;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes, this.initialBytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
