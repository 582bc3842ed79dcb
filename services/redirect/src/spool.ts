import { appendFile, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type BusMessage, decodeFrames, encodeFrames } from '@linktrack/bus';

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

  async readAll(): Promise<BusMessage[]> {
    if (this.bytes === 0) return [];
    return decodeFrames(await readFile(this.path));
  }

  /** Keeps only `remaining` (what could not be replayed), atomically. */
  async replaceWith(remaining: BusMessage[]): Promise<void> {
    if (remaining.length === 0) {
      await unlink(this.path).catch(() => {});
      this.bytes = 0;
      return;
    }
    const frames = encodeFrames(remaining);
    await writeFile(`${this.path}.tmp`, frames);
    await rename(`${this.path}.tmp`, this.path);
    this.bytes = frames.length;
  }
}
