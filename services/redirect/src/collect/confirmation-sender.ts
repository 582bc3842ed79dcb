import type { Bus } from '@linktrack/bus';
import { type ClickConfirmation, type Codec, TOPICS } from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';

/**
 * Publishes confirmations in batches (every 100 ms); the collect endpoint never
 * waits on the bus. Confirmations are not spooled: while the bus is down they
 * wait in memory up to `maxHeld`, and past that are counted as dropped.
 */
export class ConfirmationSender {
  private held: ClickConfirmation[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      bus: Bus;
      codec: Codec<ClickConfirmation>;
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

  push(confirmation: ClickConfirmation): void {
    if (this.held.length >= (this.deps.maxHeld ?? 10_000)) {
      this.deps.metrics.collectDropped.inc({ type: 'confirm', reason: 'buffer_full' });
      return;
    }
    this.held.push(confirmation);
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
      this.deps.metrics.collectDropped.inc({ type: 'confirm', reason: 'shutdown' }, this.held.length);
      this.deps.logger.error(
        { event: 'confirmations_abandoned', count: this.held.length },
        'unpublished confirmations lost',
      );
    }
  }

  private async flushOnce(): Promise<void> {
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    try {
      await this.deps.bus.publish(
        TOPICS.confirmations,
        batch.map((c) => ({ key: Buffer.from(c.click_id), value: this.deps.codec.encode(c) })),
      );
    } catch (err) {
      // Keep them, oldest first, for the next tick.
      this.held = batch.concat(this.held);
      this.deps.logger.warn(
        { event: 'confirmations_publish_failed', count: batch.length, err },
        'publishing confirmations failed; retrying',
      );
    }
  }
}
