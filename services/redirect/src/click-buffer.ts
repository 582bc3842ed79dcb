import { type Bus, type BusMessage, TOPICS } from '@linktrack/bus';
import { ipPrefix } from '@linktrack/ip';
import type { ClickEvent, Codec } from '@linktrack/schema';
import type { Logger, Metrics } from '@linktrack/telemetry';

export interface ClickBufferOptions {
  bus: Bus;
  codec: Codec<ClickEvent>;
  logger: Logger;
  metrics: Metrics;
  /** Events held at most; past it new events are counted as dropped. */
  maxEvents: number;
  flushIntervalMs?: number;
  flushSize?: number;
}

/**
 * The redirect never waits on the bus: a request only appends to this buffer,
 * and a timer publishes in batches. A failed publish keeps the events for the
 * next attempt.
 */
export class ClickBuffer {
  private events: ClickEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
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

  /** Publishes what is buffered; concurrent calls share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.publishAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer and publishes everything left, giving up after the deadline. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.events.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.events.length > 0) await new Promise((r) => setTimeout(r, 50));
    }
    if (this.events.length > 0) {
      this.options.metrics.redirectEventsDropped.inc({ reason: 'shutdown' }, this.events.length);
      this.options.logger.error(
        { event: 'click_buffer_abandoned', events: this.events.length },
        'shutting down with unpublished clicks',
      );
    }
  }

  private async publishAll(): Promise<void> {
    while (this.events.length > 0) {
      const batch = this.events.slice(0, this.flushSize);
      try {
        await this.options.bus.publish(
          TOPICS.clicksRaw,
          batch.map((e) => this.toMessage(e)),
        );
      } catch (err) {
        this.options.logger.warn(
          { event: 'click_publish_failed', events: batch.length, err },
          'publishing clicks failed; kept for retry',
        );
        return;
      } finally {
        this.options.metrics.redirectEventsBuffered.set(this.events.length);
      }
      this.events.splice(0, batch.length);
      this.options.metrics.redirectEventsBuffered.set(this.events.length);
    }
  }

  private toMessage(event: ClickEvent): BusMessage {
    // Keyed by network, not host: a visitor's clicks share a partition, and no full IP lands in a key.
    return { key: Buffer.from(ipPrefix(event.ip)), value: this.options.codec.encode(event) };
  }
}
