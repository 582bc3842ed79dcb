import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger, Metrics } from '@linktrack/telemetry';
import { backoffMs } from './backoff.js';
import { BusError } from './errors.js';
import { appendFrames, readCompacted } from './persisted-log.js';
import type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  ConsumedMessage,
  SubscribeOptions,
  Subscription,
} from './types.js';

export interface InProcessBusOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Where persistent topics keep their file; null keeps everything in memory. */
  dataDir?: string | null;
  /** Topics that survive a restart, compacted by key (the link registry). */
  persistentTopics?: string[];
}

interface TopicLog {
  name: string;
  entries: ConsumedMessage[];
  /** Offset of entries[0]; entries below every group's position are trimmed. */
  base: number;
  next: number;
  persistent: boolean;
  positions: Map<string, number>;
  wake: Set<() => void>;
}

/**
 * The embedded default's transport: one partition per topic, kept in memory,
 * with the same batch, commit and redelivery contract as Kafka.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly topics = new Map<string, TopicLog>();
  private readonly subscriptions = new Set<InProcessSubscription>();
  private closed = false;

  constructor(private readonly options: InProcessBusOptions) {}

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new BusError('LT_BUS_CLOSED', `cannot publish to ${topic}: bus is closed`);
    if (messages.length === 0) return;
    const log = this.topic(topic);
    if (log.persistent) appendFrames(this.filePath(topic), messages);
    const now = Date.now();
    for (const m of messages) {
      log.entries.push({ ...m, topic, partition: 0, offset: String(log.next++), timestamp: now });
    }
    this.options.metrics?.busPublished.inc({ topic }, messages.length);
    for (const wake of log.wake) wake();
  }

  async subscribe(
    topic: string,
    group: string,
    handler: BatchHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.closed) throw new BusError('LT_BUS_CLOSED', `cannot subscribe to ${topic}: bus is closed`);
    const log = this.topic(topic);
    for (const s of this.subscriptions) {
      if (s.log === log && s.group === group) {
        throw new BusError('LT_BUS_GROUP_TAKEN', `group ${group} already consumes ${topic} in this process`);
      }
    }
    if (!log.positions.has(group))
      log.positions.set(group, options.fromBeginning === false ? log.next : log.base);
    const sub = new InProcessSubscription(this, log, group, handler, options, this.options);
    this.subscriptions.add(sub);
    sub.start();
    return {
      close: async () => {
        await sub.stop();
        this.subscriptions.delete(sub);
      },
    };
  }

  async endOffsets(topic: string): Promise<Map<number, string>> {
    return new Map([[0, String(this.topic(topic).next)]]);
  }

  /** Resolves once every subscriber has handled and committed everything published so far. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.subscriptions].some((s) => s.busy())) {
      if (Date.now() > deadline)
        throw new BusError('LT_BUS_UNAVAILABLE', 'in-process bus did not drain in time', true);
      await delay(5);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
  }

  /** Drops entries every group has consumed; persistent topics keep theirs on disk anyway. */
  trim(log: TopicLog): void {
    let min = log.next;
    for (const p of log.positions.values()) min = Math.min(min, p);
    if (log.persistent || min <= log.base) return;
    log.entries.splice(0, min - log.base);
    log.base = min;
  }

  private topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (!log) {
      const persistent =
        Boolean(this.options.dataDir) && (this.options.persistentTopics ?? []).includes(name);
      log = { name, entries: [], base: 0, next: 0, persistent, positions: new Map(), wake: new Set() };
      if (persistent) {
        for (const m of readCompacted(this.filePath(name))) {
          log.entries.push({ ...m, topic: name, partition: 0, offset: String(log.next++), timestamp: 0 });
        }
      }
      this.topics.set(name, log);
    }
    return log;
  }

  private filePath(topic: string): string {
    return join(this.options.dataDir as string, 'bus', `${topic}.log`);
  }
}

class InProcessSubscription {
  private stopping = false;
  private handling = false;
  private loop: Promise<void> | null = null;
  private interrupt: (() => void) | null = null;
  private readonly maxBatchSize: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly bus: InProcessBus,
    readonly log: TopicLog,
    readonly group: string,
    private readonly handler: BatchHandler,
    options: SubscribeOptions,
    private readonly deps: InProcessBusOptions,
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.maxWaitMs = options.maxWaitMs ?? 0;
  }

  start(): void {
    this.loop = this.run();
  }

  busy(): boolean {
    return this.handling || this.position() < this.log.next;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    await this.loop;
  }

  private position(): number {
    return this.log.positions.get(this.group) ?? this.log.base;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      const waitMs = this.readyIn();
      if (waitMs > 0) {
        await this.sleep(waitMs);
        continue;
      }
      const batch = this.nextBatch();
      this.handling = true;
      try {
        await this.handler(batch);
        // Commit only after the handler's side effect succeeded.
        this.log.positions.set(this.group, this.position() + batch.messages.length);
        this.bus.trim(this.log);
        attempt = 0;
      } catch (err) {
        attempt += 1;
        this.deps.metrics?.busHandlerFailures.inc({ topic: this.log.name, group: this.group });
        this.deps.logger.warn(
          { event: 'bus_handler_failed', topic: this.log.name, group: this.group, attempt, err },
          'batch handler failed; the batch will be delivered again',
        );
        await this.sleep(backoffMs(attempt));
      } finally {
        this.handling = false;
      }
    }
  }

  /** 0 when a batch should be handed over now, otherwise how long to wait for more. */
  private readyIn(): number {
    const available = this.log.next - this.position();
    if (available === 0) return 1_000;
    if (available >= this.maxBatchSize || this.maxWaitMs === 0) return 0;
    const first = this.log.entries[this.position() - this.log.base] as ConsumedMessage;
    const age = Date.now() - first.timestamp;
    return age >= this.maxWaitMs ? 0 : this.maxWaitMs - age;
  }

  private nextBatch(): Batch {
    const from = this.position() - this.log.base;
    const messages = this.log.entries.slice(from, from + this.maxBatchSize);
    return { topic: this.log.name, partition: 0, messages };
  }

  /** Sleeps until the timeout, the next publish, or stop(). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.log.wake.delete(onPublish);
        this.interrupt = null;
        resolve();
      };
      // Any publish re-evaluates readiness: cheap, since publishers send batches.
      const onPublish = done;
      const timer = setTimeout(done, ms);
      this.log.wake.add(onPublish);
      this.interrupt = done;
    });
  }
}
