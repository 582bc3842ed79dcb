import { createReadStream, createWriteStream } from 'node:fs';
import { appendFile, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BusMessage, decodeFramesFrom, encodeFrames } from '@linktrack/bus';

/** Bytes read per step of a replay: a long outage's spool is never loaded whole. */
const READ_BYTES = 1024 * 1024;

/**
 * An append-only file of encoded click messages, written while the transport
 * is unreachable and replayed in order when it is back. Frames are the bus
 * log's key/value frames; a torn last frame (crash mid-write) is ignored.
 */
export class Spool {
  private bytes = 0;

  constructor(private readonly path: string) {}

  /** Reads the size left by an earlier run, so its clicks are replayed too. */
  async open(): Promise<number> {
    await mkdir(dirname(this.path), { recursive: true });
    this.bytes = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    return this.bytes;
  }

  get size(): number {
    return this.bytes;
  }

  async append(messages: BusMessage[]): Promise<void> {
    const frames = encodeFrames(messages);
    await appendFile(this.path, frames);
    this.bytes += frames.length;
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
    await pipeline(createReadStream(this.path, { start: bytes }), createWriteStream(tmp));
    await rename(tmp, this.path);
    this.bytes -= bytes;
  }
}
