import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BusMessage, decodeFramesFrom, encodeFrames } from '@linktrack/bus';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '@linktrack/config';

/** Bytes read per step of a replay: a long outage's spool is never loaded whole. */
const READ_BYTES = 1024 * 1024;

/**
 * An append-only file of encoded click messages, written while the transport
 * is unreachable and replayed in order when it is back. Frames are the bus
 * log's key/value frames; a torn last frame (crash mid-write) is ignored.
 * The file never grows past `maxBytes`: what does not fit is refused.
 */
export class Spool {
  private bytes = 0;

  constructor(
    private readonly path: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Reads the size left by an earlier run, so its clicks are replayed too. */
  async open(): Promise<number> {
    ensurePrivateDir(dirname(this.path));
    this.bytes = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    return this.bytes;
  }

  get size(): number {
    return this.bytes;
  }

  /** Appends, in order, as many messages as fit under the cap; returns how many. */
  async append(messages: BusMessage[]): Promise<number> {
    let kept = messages.length;
    let frames = encodeFrames(messages);
    if (this.bytes + frames.length > this.maxBytes) {
      // Over the cap: keep the longest prefix that fits (rare, so re-encoding is fine).
      let room = this.maxBytes - this.bytes;
      kept = 0;
      for (const m of messages) {
        const size = 8 + (m.key?.length ?? 0) + m.value.length;
        if (size > room) break;
        room -= size;
        kept += 1;
      }
      frames = encodeFrames(messages.slice(0, kept));
    }
    if (kept === 0) return 0;
    await appendFile(this.path, frames, { mode: PRIVATE_FILE_MODE });
    this.bytes += frames.length;
    return kept;
  }

  /**
   * Up to `limit` messages starting at byte `offset`, and the offset after them.
   * An empty result with the same offset means only a torn frame is left.
   */
  async read(offset: number, limit: number): Promise<{ messages: BusMessage[]; next: number }> {
    if (offset >= this.bytes) return { messages: [], next: offset };
    const file = await open(this.path, 'r');
    try {
      let size = READ_BYTES;
      for (;;) {
        const buf = Buffer.alloc(Math.min(size, this.bytes - offset));
        const { bytesRead } = await file.read(buf, 0, buf.length, offset);
        const { messages, bytes } = decodeFramesFrom(buf.subarray(0, bytesRead), limit);
        // A frame larger than what was read: read more, unless the file ends there.
        if (messages.length === 0 && bytesRead === size && offset + size < this.bytes) {
          size *= 2;
          continue;
        }
        return { messages, next: offset + bytes };
      }
    } finally {
      await file.close();
    }
  }

  /** Everything still spooled (for tests and tooling; replays use `read`). */
  async readAll(): Promise<BusMessage[]> {
    const out: BusMessage[] = [];
    for (let offset = 0; ; ) {
      const { messages, next } = await this.read(offset, Number.POSITIVE_INFINITY);
      if (messages.length === 0) return out;
      out.push(...messages);
      offset = next;
    }
  }

  /** Forgets the first `bytes` (replayed), keeping the rest in order; streamed, atomic. */
  async dropPrefix(bytes: number): Promise<void> {
    if (bytes <= 0) return;
    if (bytes >= this.bytes) {
      await unlink(this.path).catch(() => {});
      this.bytes = 0;
      return;
    }
    const tmp = `${this.path}.tmp`;
    await pipeline(
      createReadStream(this.path, { start: bytes }),
      createWriteStream(tmp, { mode: PRIVATE_FILE_MODE }),
    );
    await rename(tmp, this.path);
    this.bytes -= bytes;
  }
}
