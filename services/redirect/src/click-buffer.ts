import { type Bus, backoffMs, FrameWriter, viewFrames } from '@linktrack/bus';
import { ipNetwork, ipPrefix } from '@linktrack/ip';
import { type ClickEvent, type Codec, TOPICS } from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';
import type { Spool } from './spool.js';

export interface ClickBufferOptions {
  bus: Bus;
  codec: Codec<ClickEvent>;
  logger: Logger;
  metrics: Metrics;
  /** Clicks held in memory waiting for the bus, at most; past it they wait in the spool, or are dropped when there is none. */
  maxEvents: number;
  /** Where clicks wait when memory is full or the transport is unreachable; null: memory only. */
  spool?: Spool | null;
  /** Spool full client IPs; by default the disk only ever holds the client's network (/24, /48). */
  storeRawIp?: boolean;
  flushIntervalMs?: number;
  flushSize?: number;
}

/** A batch of encoded clicks, framed in one buffer. */
interface Sealed {
  frames: Buffer;
  count: number;
}

/**
 * While the bus is full, the next try comes this soon, doubling while it stays
 * full: a refused batch crosses to the bus's thread for nothing, and during a
 * long burst (the pipeline holding back) the bus stays full.
 */
const FULL_RETRY_MS = 20;
const FULL_RETRY_MAX_MS = 250;
/** Drops are logged at most this often, with the count since the last line. */
const DROP_LOG_MS = 5_000;

type DropReason = 'buffer_full' | 'spool_full' | 'spool_failed' | 'unencodable' | 'shutdown';

/**
 * The redirect never waits on the bus. A request encodes its click straight
 * into the open batch (Avro, framed, no object kept); a timer publishes
 * sealed batches. When the bus cannot take them, clicks wait: in memory up to
 * `maxEvents` (a full in-process bus, the pipeline behind), then on disk in
 * the spool (memory full, or the transport unreachable), and only past the
 * spool's cap are they dropped, counted and logged. Order is kept: memory is
 * published first, then the spool, and while the spool holds anything new
 * clicks join it at its end.
 */
export class ClickBuffer {
  private readonly writer = new FrameWriter();
  /** The open batch is encoded for the spool: the client's network only, unless raw IPs are kept. */
  private writerForSpool = false;
  private memory: Sealed[] = [];
  private memoryEvents = 0;
  /** New clicks go to the spool, behind what it holds, until it has been replayed. */
  private spooling = false;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private kicked = false;
  private failures = 0;
  private retryAt = 0;
  private busFull = false;
  private fullRetryMs = FULL_RETRY_MS;
  private stopping = false;
  private readonly flushSize: number;
  private readonly drops = new Map<DropReason, number>();
  private dropsLoggedAt = 0;

  constructor(private readonly options: ClickBufferOptions) {
    this.flushSize = options.flushSize ?? 500;
  }

  start(): void {
    // Clicks an earlier run spooled go first.
    if ((this.options.spool?.size ?? 0) > 0) this.spooling = true;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 20);
    this.timer.unref();
  }

  push(event: ClickEvent): void {
    if (!this.spooling && this.memoryEvents + this.writer.count >= this.options.maxEvents) {
      if (!this.options.spool) {
        this.drop('buffer_full', 1);
        return;
      }
      this.seal();
      this.startSpooling('memory_full');
    }
    if (this.writerForSpool !== this.spooling) {
      this.seal();
      this.writerForSpool = this.spooling;
    }
    const stored =
      this.writerForSpool && this.options.storeRawIp !== true ? { ...event, ip: ipNetwork(event.ip) } : event;
    try {
      // Keyed by network, not host: a visitor's clicks share a partition, and no full IP lands in a key.
      this.writer.add(ipPrefix(event.ip), (buf, at) => this.options.codec.encodeInto(stored, buf, at));
    } catch (err) {
      this.options.logger.error({ event: 'click_unencodable', err }, 'a click could not be encoded');
      this.drop('unencodable', 1);
      return;
    }
    if (this.writer.count >= this.flushSize) {
      this.seal();
      this.kick();
    }
  }

  /** Clicks held in memory (encoded), waiting for the bus or for their batch to be written to the spool. */
  get size(): number {
    return this.memoryEvents + this.writer.count;
  }

  /** Publishes (or spools) what is buffered; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce()
      .catch((err) => this.options.logger.error({ event: 'click_flush_failed', err }, 'click flush failed'))
      .finally(() => {
        this.flushing = null;
        this.options.metrics.redirectEventsBuffered.set(this.size);
        this.options.metrics.redirectSpoolBytes.set(this.options.spool?.size ?? 0);
      });
    return this.flushing;
  }

  /**
   * Stops the timer and publishes what memory holds, for at most `timeoutMs`;
   * what is left then goes to the spool (it is replayed at the next start).
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // What the spool holds stays there for the next start: only memory is published now.
    this.stopping = true;
    const deadline = Date.now() + timeoutMs;
    this.seal();
    while (this.memoryEvents > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.memoryEvents > 0) await new Promise((r) => setTimeout(r, 20));
    }
    await this.flushing;
    this.seal();
    if (this.options.spool) {
      this.spillMemory();
      this.options.spool.close();
    }
    const lost = this.memoryEvents;
    if (lost > 0) {
      this.drop('shutdown', lost);
      this.memory = [];
      this.memoryEvents = 0;
    }
    this.logDrops(true);
  }

  private kick(): void {
    if (this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      void this.flush();
    });
  }

  private seal(): void {
    if (this.writer.count === 0) return;
    const batch = { count: this.writer.count, frames: this.writer.take() };
    if (this.writerForSpool) this.toSpool(batch);
    else {
      this.memory.push(batch);
      this.memoryEvents += batch.count;
    }
  }

  private async flushOnce(): Promise<void> {
    this.seal();
    if (Date.now() < this.retryAt) return;
    // Memory first: it holds the oldest clicks.
    while (this.memory.length > 0) {
      const batch = this.memory[0] as Sealed;
      if (!(await this.publish(batch.frames))) return;
      this.memory.shift();
      this.memoryEvents -= batch.count;
    }
    const spool = this.options.spool;
    if (!spool || !this.spooling || this.stopping) return;
    for (;;) {
      const { frames, count, next } = await spool.read(this.flushSize);
      if (count === 0) break;
      if (!(await this.publish(frames))) return;
      await spool.advance(next);
      this.options.metrics.redirectEventsReplayed.inc(count);
    }
    // Replayed whole (appends are synchronous, so nothing is on its way there): new clicks go to memory again.
    if (spool.size > 0) return;
    this.spooling = false;
    if (this.writerForSpool && this.writer.count > 0) {
      const batch = { count: this.writer.count, frames: this.writer.take() };
      this.memory.push(batch);
      this.memoryEvents += batch.count;
    }
    this.writerForSpool = false;
    this.options.logger.info(
      { event: 'click_spool_replayed' },
      'spooled clicks published; clicks go to memory again',
    );
  }

  /** One batch to the bus; false when it was not taken (and when to try again is set). */
  private async publish(frames: Buffer): Promise<boolean> {
    try {
      await this.options.bus.publishFrames(TOPICS.clicksRaw, frames, { refuseWhenFull: true });
    } catch (err) {
      if ((err as { code?: string }).code === 'LT_BUS_FULL') {
        this.retryAt = Date.now() + this.fullRetryMs;
        this.fullRetryMs = Math.min(this.fullRetryMs * 2, FULL_RETRY_MAX_MS);
        if (!this.busFull) {
          this.busFull = true;
          this.options.logger.info(
            { event: 'click_bus_full', buffered: this.size },
            'the pipeline is behind: clicks wait in memory, then in the spool',
          );
        }
        return false;
      }
      this.failed(err);
      // The transport is down: what memory holds goes to disk, unless the spool holds older clicks.
      if (this.options.spool && !this.spooling) {
        this.seal();
        this.spillMemory();
        this.startSpooling('transport_failed');
      }
      return false;
    }
    this.busFull = false;
    this.fullRetryMs = FULL_RETRY_MS;
    this.failures = 0;
    return true;
  }

  private startSpooling(reason: 'memory_full' | 'transport_failed'): void {
    if (this.spooling) return;
    this.spooling = true;
    this.options.logger.warn(
      { event: 'click_spooling', reason, buffered: this.size },
      reason === 'memory_full'
        ? 'click buffer full: clicks wait in the spool until the pipeline catches up'
        : 'publishing clicks failed: clicks wait in the spool until the transport is back',
    );
  }

  /** Moves memory's batches to the spool, re-encoded with the client's network only. */
  private spillMemory(): void {
    const batches = this.memory;
    this.memory = [];
    this.memoryEvents = 0;
    for (const batch of batches)
      this.toSpool({
        frames: this.options.storeRawIp === true ? batch.frames : this.networkOnly(batch.frames),
        count: batch.count,
      });
  }

  private networkOnly(frames: Buffer): Buffer {
    const writer = new FrameWriter(frames.length + 1024);
    const { codec } = this.options;
    for (const m of viewFrames(frames)) {
      const event = codec.decode(m.value);
      const stored = { ...event, ip: ipNetwork(event.ip) };
      writer.add(m.key ? m.key.toString() : null, (buf, at) => codec.encodeInto(stored, buf, at));
    }
    return writer.take();
  }

  /** One batch to the end of the spool; what does not fit under its cap is dropped, counted and logged. */
  private toSpool(batch: Sealed): void {
    const spool = this.options.spool as Spool;
    let kept = 0;
    try {
      kept = spool.append(batch.frames);
      if (kept < batch.count) this.drop('spool_full', batch.count - kept);
    } catch (err) {
      this.options.logger.error({ event: 'click_spool_failed', err }, 'writing the click spool failed');
      this.drop('spool_failed', batch.count);
    }
    this.options.metrics.redirectEventsSpooled.inc(kept);
  }

  private failed(err: unknown): void {
    this.failures += 1;
    this.retryAt = Date.now() + backoffMs(this.failures, 250, 5_000);
    this.options.logger.warn(
      { event: 'click_publish_failed', buffered: this.size, attempt: this.failures, err },
      this.options.spool
        ? 'publishing clicks failed; they wait in the spool'
        : 'publishing clicks failed; kept in memory',
    );
  }

  /** Counted at once; logged at most every few seconds, with how many since the last line. */
  private drop(reason: DropReason, count: number): void {
    this.options.metrics.redirectEventsDropped.inc({ reason }, count);
    this.drops.set(reason, (this.drops.get(reason) ?? 0) + count);
    this.logDrops(false);
  }

  private logDrops(now: boolean): void {
    if (this.drops.size === 0 || (!now && Date.now() - this.dropsLoggedAt < DROP_LOG_MS)) return;
    this.dropsLoggedAt = Date.now();
    const dropped = Object.fromEntries(this.drops);
    this.drops.clear();
    this.options.logger.error(
      { event: 'click_dropped', dropped, spool_bytes: this.options.spool?.size ?? 0 },
      dropped.spool_full
        ? 'click spool is full (LINKTRACK_SPOOL_MAX_BYTES): clicks dropped'
        : 'clicks dropped',
    );
  }
}
