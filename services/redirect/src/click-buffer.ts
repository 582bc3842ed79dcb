import { type Bus, type BusMessage, backoffMs } from '@linktrack/bus';
import { ipNetwork, ipPrefix } from '@linktrack/ip';
import { type ClickEvent, type Codec, TOPICS } from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';
import type { Spool } from './spool.js';

export interface ClickBufferOptions {
  bus: Bus;
  codec: Codec<ClickEvent>;
  logger: Logger;
  metrics: Metrics;
  /** Events held in memory at most; past it new events are counted as dropped. */
  maxEvents: number;
  /** Where events go while the transport is unreachable; null keeps them in memory. */
  spool?: Spool | null;
  /** Spool full client IPs; by default the disk only ever holds the client's network (/24, /48). */
  storeRawIp?: boolean;
  flushIntervalMs?: number;
  flushSize?: number;
}

/**
 * The redirect never waits on the bus: a request only appends to this buffer,
 * and a timer publishes in batches. When a publish fails, buffered events go
 * to the disk spool (if any) and the transport is retried with backoff; the
 * spool is replayed, in order, before anything newer is published.
 */
export class ClickBuffer {
  private events: ClickEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;
  private readonly flushSize: number;

  constructor(private readonly options: ClickBufferOptions) {
    this.flushSize = options.flushSize ?? 500;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 20);
    this.timer.unref();
  }

  push(event: ClickEvent): void {
    if (this.events.length >= this.options.maxEvents) {
      this.options.metrics.redirectEventsDropped.inc({ reason: 'buffer_full' });
      return;
    }
    this.events.push(event);
    if (this.events.length === this.flushSize) setImmediate(() => void this.flush());
  }

  get size(): number {
    return this.events.length;
  }

  /** Publishes (or spools) what is buffered; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce()
      .catch((err) => this.options.logger.error({ event: 'click_flush_failed', err }, 'click flush failed'))
      .finally(() => {
        this.flushing = null;
        this.options.metrics.redirectEventsBuffered.set(this.events.length);
      });
    return this.flushing;
  }

  /** Stops the timer and publishes everything left; what cannot be published goes to the spool. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.events.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.events.length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    await this.flushing;
    if (this.events.length > 0 && this.options.spool) await this.spill();
    if (this.events.length > 0) {
      this.options.metrics.redirectEventsDropped.inc({ reason: 'shutdown' }, this.events.length);
      this.options.logger.error(
        { event: 'click_buffer_abandoned', events: this.events.length },
        'unpublished clicks lost',
      );
    }
  }

  private async flushOnce(): Promise<void> {
    const spool = this.options.spool;
    if (Date.now() < this.nextAttemptAt) {
      // Still backing off after a failure: keep memory small, keep order on disk.
      if (spool && this.events.length > 0) await this.spill();
      return;
    }
    if (spool && spool.size > 0 && !(await this.replaySpool(spool))) {
      await this.spill();
      return;
    }
    while (this.events.length > 0) {
      const batch = this.events.slice(0, this.flushSize);
      try {
        await this.options.bus.publish(
          TOPICS.clicksRaw,
          batch.map((e) => this.toMessage(e)),
        );
      } catch (err) {
        this.failed(err, { events: batch.length });
        if (spool) await this.spill();
        return;
      }
      this.events.splice(0, batch.length);
      this.failures = 0;
    }
  }

  /**
   * Publishes the spool in order, a batch at a time from disk; what could not
   * be sent stays spooled. A batch is forgotten only after it was acknowledged.
   */
  private async replaySpool(spool: Spool): Promise<boolean> {
    let offset = 0;
    let sent = 0;
    try {
      for (;;) {
        const { messages, next } = await spool.read(offset, this.flushSize);
        if (messages.length === 0) break;
        await this.options.bus.publish(TOPICS.clicksRaw, messages);
        offset = next;
        sent += messages.length;
        this.options.metrics.redirectEventsReplayed.inc(messages.length);
      }
    } catch (err) {
      await spool.dropPrefix(offset);
      this.failed(err, { spool_bytes: spool.size });
      this.options.metrics.redirectSpoolBytes.set(spool.size);
      return false;
    }
    // Everything readable was sent; a torn frame left at the end goes too.
    await spool.dropPrefix(spool.size);
    this.options.metrics.redirectSpoolBytes.set(0);
    this.failures = 0;
    this.options.logger.info({ event: 'click_spool_replayed', events: sent }, 'spooled clicks published');
    return true;
  }

  private async spill(): Promise<void> {
    const spool = this.options.spool as Spool;
    const events = this.events;
    this.events = [];
    const raw = this.options.storeRawIp === true;
    const kept = await spool.append(
      events.map((e) => this.toMessage(raw ? e : { ...e, ip: ipNetwork(e.ip) })),
    );
    this.options.metrics.redirectEventsSpooled.inc(kept);
    this.options.metrics.redirectSpoolBytes.set(spool.size);
    const lost = events.length - kept;
    if (lost > 0) {
      this.options.metrics.redirectEventsDropped.inc({ reason: 'spool_full' }, lost);
      this.options.logger.error(
        { event: 'click_spool_full', dropped: lost, spool_bytes: spool.size },
        'click spool is full (LINKTRACK_SPOOL_MAX_BYTES): clicks dropped',
      );
    }
  }

  private failed(err: unknown, pending: { events?: number; spool_bytes?: number }): void {
    this.failures += 1;
    this.nextAttemptAt = Date.now() + backoffMs(this.failures, 250, 5_000);
    this.options.logger.warn(
      { event: 'click_publish_failed', ...pending, attempt: this.failures, err },
      this.options.spool
        ? 'publishing clicks failed; spooling to disk'
        : 'publishing clicks failed; kept in memory',
    );
  }

  private toMessage(event: ClickEvent): BusMessage {
    // Keyed by network, not host: a visitor's clicks share a partition, and no full IP lands in a key.
    return { key: Buffer.from(ipPrefix(event.ip)), value: this.options.codec.encode(event) };
  }
}
