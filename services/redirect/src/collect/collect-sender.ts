import type { Bus } from '@linktrack/bus';
import type { Codec } from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';

/**
 * Publishes one collect type's events in batches (every 100 ms); the collect
 * endpoint never waits on the bus. Events are not spooled: while the bus is
 * down they wait in memory up to `maxHeld`, and past that are counted as
 * dropped (a browser event is best effort; a server sends what must not be lost).
 */
export class CollectSender<T> {
  private held: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      bus: Bus;
      topic: string;
      codec: Codec<T>;
      /** The message key of an event. */
      keyOf: (event: T) => string;
      /** The collect type, as metrics and logs name it. */
      type: string;
      logger: Logger;
      metrics: Metrics;
      maxHeld?: number;
      flushIntervalMs?: number;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.deps.flushIntervalMs ?? 100);
    this.timer.unref();
  }

  push(event: T): void {
    if (this.held.length >= (this.deps.maxHeld ?? 10_000)) {
      this.deps.metrics.collectDropped.inc({ type: this.deps.type, reason: 'buffer_full' });
      return;
    }
    this.held.push(event);
  }

  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    if (this.held.length > 0) {
      this.deps.metrics.collectDropped.inc({ type: this.deps.type, reason: 'shutdown' }, this.held.length);
      this.deps.logger.error(
        { event: 'collect_events_abandoned', type: this.deps.type, count: this.held.length },
        'unpublished collect events lost',
      );
    }
  }

  private async flushOnce(): Promise<void> {
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    try {
      await this.deps.bus.publish(
        this.deps.topic,
        batch.map((e) => ({ key: Buffer.from(this.deps.keyOf(e)), value: this.deps.codec.encode(e) })),
      );
    } catch (err) {
      // Keep them, oldest first, for the next tick.
      this.held = batch.concat(this.held);
      this.deps.logger.warn(
        { event: 'collect_publish_failed', type: this.deps.type, count: batch.length, err },
        'publishing collect events failed; retrying',
      );
    }
  }
}
