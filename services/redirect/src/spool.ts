import { closeSync, openSync, writeSync } from 'node:fs';
import { open, readdir, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type BusMessage, decodeFrames, frameExtent } from '@linktrack/bus';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '@linktrack/config';

/** Bytes read per step of a replay: a long outage's spool is never loaded whole. */
const READ_BYTES = 1024 * 1024;
/** A segment is closed past this size; replayed segments are deleted whole, so nothing is ever rewritten. */
const SEGMENT_BYTES = 8 * 1024 * 1024;

interface Segment {
  seq: number;
  path: string;
  bytes: number;
}

/** Where the replay stands: a segment, and the offset of the first frame not yet acknowledged. */
export interface SpoolPosition {
  seq: number;
  offset: number;
}

export interface SpoolRead {
  /** Whole frames (the bus's key/value frames), in order. */
  frames: Buffer;
  count: number;
  /** Where the replay stands once these are acknowledged: pass it to `advance`. */
  next: SpoolPosition;
}

/**
 * Clicks waiting on disk: while the transport is unreachable, and in the
 * embedded default while the pipeline is behind. Frames are appended to
 * segment files (`<path>.000001`, …) and replayed in order from a position
 * kept in `<path>.head`; a fully replayed segment is deleted, so a replay that
 * advances a batch at a time never copies the rest of the file. The spool
 * never holds more than `maxBytes`: what does not fit is refused.
 * A crash between a replayed batch's acknowledgement and the position's write
 * sends that batch again: the same click ids, which the clicks table collapses.
 */
export class Spool {
  private segments: Segment[] = [];
  private head: SpoolPosition = { seq: 0, offset: 0 };
  private queue: Promise<unknown> = Promise.resolve();
  /** The newest segment, open for appends. */
  private appendFd: { seq: number; fd: number } | null = null;

  constructor(
    private readonly path: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Finds what an earlier run left (its segments, or a single-file spool of older versions); returns those bytes. */
  open(): Promise<number> {
    return this.serial(async () => {
      ensurePrivateDir(dirname(this.path));
      const name = basename(this.path);
      const files = await readdir(dirname(this.path));
      const segments: Segment[] = [];
      for (const file of files) {
        const match = file === name ? ['', '0'] : new RegExp(`^${escapeRegExp(name)}\\.(\\d{6})$`).exec(file);
        if (!match) continue;
        const path = join(dirname(this.path), file);
        segments.push({ seq: Number(match[1]), path, bytes: (await stat(path)).size });
      }
      segments.sort((a, b) => a.seq - b.seq);
      this.segments = segments;
      this.head = await this.readHead();
      // A crash mid-append can leave a torn frame at the end of the newest segment: cut it off.
      const last = segments.at(-1);
      if (last) {
        const whole = frameExtent(await readFile(last.path)).bytes;
        if (whole < last.bytes) {
          await truncate(last.path, whole);
          last.bytes = whole;
        }
      }
      this.dropReplayed();
      return this.size;
    });
  }

  /** Bytes not yet replayed. */
  get size(): number {
    let total = 0;
    for (const s of this.segments) total += s.bytes;
    const first = this.segments[0];
    return first && first.seq === this.head.seq ? total - this.head.offset : total;
  }

  /** Bytes on disk, replayed or not: what the cap bounds. */
  private get diskBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /** Appends, in order, as many whole frames as fit under the cap; returns how many. */
  append(frames: Buffer): number {
    if (frames.length === 0) return 0;
    const room = this.maxBytes - this.diskBytes;
    const fit = frames.length <= room ? frameExtent(frames) : frameExtent(frames, Infinity, room);
    if (fit.count === 0 || fit.bytes > room) return 0;
    let last = this.segments.at(-1);
    if (!last || last.bytes >= SEGMENT_BYTES) {
      const seq = (last?.seq ?? this.head.seq) + 1;
      last = { seq, path: `${this.path}.${String(seq).padStart(6, '0')}`, bytes: 0 };
      this.segments.push(last);
    }
    if (this.appendFd?.seq !== last.seq) {
      this.closeAppendFd();
      this.appendFd = { seq: last.seq, fd: openSync(last.path, 'a', PRIVATE_FILE_MODE) };
    }
    let written = 0;
    while (written < fit.bytes) written += writeSync(this.appendFd.fd, frames, written, fit.bytes - written);
    last.bytes += fit.bytes;
    return fit.count;
  }

  /** Closes the file appends go to (they reopen it when needed). */
  close(): void {
    this.closeAppendFd();
  }

  private closeAppendFd(): void {
    if (this.appendFd) closeSync(this.appendFd.fd);
    this.appendFd = null;
  }

  /** Up to `limit` frames from where the replay stands; none when everything was replayed. */
  read(limit: number): Promise<SpoolRead> {
    return this.serial(async () => {
      for (;;) {
        const segment = this.segments[0];
        if (!segment) return { frames: Buffer.alloc(0), count: 0, next: this.head };
        const offset = segment.seq === this.head.seq ? this.head.offset : 0;
        const read = await readFrames(segment, offset, limit);
        if (read.count > 0)
          return {
            frames: read.frames,
            count: read.count,
            next: { seq: segment.seq, offset: offset + read.bytes },
          };
        // Nothing whole left in this segment (replayed, or a torn end from a crash): on to the next.
        if (this.segments.length === 1) return { frames: Buffer.alloc(0), count: 0, next: this.head };
        this.head = { seq: (this.segments[1] as Segment).seq, offset: 0 };
        await this.removeFirst();
      }
    });
  }

  /** Forgets what was replayed up to `to` (from `read`), deleting segments replayed whole. */
  advance(to: SpoolPosition): Promise<void> {
    return this.serial(async () => {
      this.head = to;
      await this.dropReplayedFiles();
      if (this.segments.length === 0) await unlink(this.headPath()).catch(() => {});
      else
        await writeFile(this.headPath(), `${this.head.seq} ${this.head.offset}\n`, {
          mode: PRIVATE_FILE_MODE,
        });
    });
  }

  /** Everything not yet replayed (for tests and tooling; replays use `read`). */
  async readAll(): Promise<BusMessage[]> {
    return this.serial(async () => {
      const out: BusMessage[] = [];
      for (const segment of this.segments) {
        const offset = segment.seq === this.head.seq ? this.head.offset : 0;
        const bytes = await readFile(segment.path);
        out.push(...decodeFrames(bytes.subarray(offset)));
      }
      return out;
    });
  }

  private async dropReplayedFiles(): Promise<void> {
    for (;;) {
      const first = this.segments[0];
      if (!first) return;
      const replayed =
        first.seq < this.head.seq || (first.seq === this.head.seq && this.head.offset >= first.bytes);
      // The newest segment is deleted only when replayed whole: appends then start a new one.
      if (!replayed) return;
      await this.removeFirst();
    }
  }

  /** At open: segments older than the position were replayed by the earlier run. */
  private dropReplayed(): void {
    while (this.segments.length > 0 && (this.segments[0] as Segment).seq < this.head.seq)
      void this.removeFirst();
  }

  /** Synchronous up to the unlink: an append meanwhile already sees the segment gone, and starts a new one. */
  private async removeFirst(): Promise<void> {
    const gone = this.segments.shift();
    if (!gone) return;
    if (this.appendFd?.seq === gone.seq) this.closeAppendFd();
    await unlink(gone.path).catch(() => {});
  }

  private async readHead(): Promise<SpoolPosition> {
    const first = this.segments[0];
    const fallback = { seq: first?.seq ?? 0, offset: 0 };
    const text = await readFile(this.headPath(), 'utf8').catch(() => null);
    const match = text ? /^(\d+) (\d+)\s*$/.exec(text) : null;
    if (!match) return fallback;
    return { seq: Number(match[1]), offset: Number(match[2]) };
  }

  private headPath(): string {
    return `${this.path}.head`;
  }

  /** Spool operations run one at a time: appends from the redirect and replays never interleave. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => {});
    return run;
  }
}

/** Whole frames from `offset`, at most `limit`; reads more when one frame is larger than a read step. */
async function readFrames(
  segment: Segment,
  offset: number,
  limit: number,
): Promise<{ frames: Buffer; count: number; bytes: number }> {
  if (offset >= segment.bytes) return { frames: Buffer.alloc(0), count: 0, bytes: 0 };
  const file = await open(segment.path, 'r');
  try {
    for (let size = READ_BYTES; ; size *= 2) {
      const want = Math.min(size, segment.bytes - offset);
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await file.read(buf, 0, want, offset);
      const { count, bytes } = frameExtent(buf.subarray(0, bytesRead), limit);
      if (count === 0 && bytesRead === size && offset + size < segment.bytes) continue;
      return { frames: buf.subarray(0, bytes), count, bytes };
    }
  } finally {
    await file.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
