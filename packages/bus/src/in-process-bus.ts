import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger, Metrics } from '@linktrack/telemetry';
import { backoffMs } from './backoff.js';
import { BusError } from './errors.js';
import { viewFrames } from './frames.js';
import { appendFrames, readCompacted } from './persisted-log.js';
import type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  ConsumedMessage,
  PublishOptions,
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
  /**
   * Messages a topic holds that some group has not yet consumed, at most
   * (persistent topics excepted). Past it a publisher waits for room, or is
   * refused with LT_BUS_FULL when it asked not to wait (the redirect).
   */
  maxPendingMessages?: number;
}

/** Says, when asked, whether the pipeline's deliveries should hold back now (the redirect is busy). */
export type YieldSignal = () => boolean;

/** How often a held-back subscription asks again whether it may deliver. */
const YIELD_POLL_MS = 25;

interface TopicLog {
  name: string;
  entries: ConsumedMessage[];
  /** Offset of entries[0]; entries below every group's position are trimmed. */
  base: number;
  next: number;
  persistent: boolean;
  positions: Map<string, number>;
  wake: Set<() => void>;
  /** Publishers waiting for room in a full topic. */
  room: Set<() => void>;
}

/**
 * The embedded default's transport: one partition per topic, kept in memory,
 * with the same batch, commit and redelivery contract as Kafka. Bounded, so a
 * pipeline slower than the redirect pushes back instead of growing the heap;
 * and its pipeline deliveries can be told to yield while the redirect is busy.
 */
export class InProcessBus implements Bus {
  readonly kind = 'in-process' as const;
  private readonly topics = new Map<string, TopicLog>();
  private readonly subscriptions = new Set<InProcessSubscription>();
  private readonly maxPending: number;
  private yieldSignal: YieldSignal | null = null;
  private yieldingTopics = new Set<string>();
  private closed = false;

  constructor(private readonly options: InProcessBusOptions) {
    this.maxPending = options.maxPendingMessages ?? Number.POSITIVE_INFINITY;
  }

  async publish(topic: string, messages: BusMessage[], options: PublishOptions = {}): Promise<void> {
    if (messages.length === 0) return;
    const log = this.topic(topic);
    await this.waitForRoom(log, options);
    if (log.persistent) appendFrames(this.filePath(topic), messages);
    const now = Date.now();
    for (const m of messages) {
      // No spread: this runs for every click, twice (raw and enriched).
      log.entries.push({
        key: m.key,
        value: m.value,
        topic,
        partition: 0,
        offset: String(log.next++),
        timestamp: now,
      });
    }
    this.options.metrics?.busPublished.inc({ topic }, messages.length);
    this.options.metrics?.busPendingMessages.set({ topic }, log.next - log.base);
    for (const wake of log.wake) wake();
  }

  async publishFrames(topic: string, frames: Buffer, options?: PublishOptions): Promise<void> {
    // Views into the one buffer: a batch from the redirect is not copied again.
    await this.publish(topic, viewFrames(frames), options);
  }

  /**
   * From now on, deliveries on `topics` wait while `signal` says so, and
   * catch up when it stops: the embedded pipeline gives the cores to the
   * redirect during a burst. The pipeline's own code knows nothing of it.
   */
  yieldTo(signal: YieldSignal | null, topics: readonly string[] = []): void {
    this.yieldSignal = signal;
    this.yieldingTopics = new Set(topics);
  }

  /** Whether deliveries on `topic` should hold back right now. */
  shouldYield(topic: string): boolean {
    return this.yieldSignal !== null && this.yieldingTopics.has(topic) && this.yieldSignal();
  }

  /** Messages of `topic` some group has not consumed yet. */
  pending(topic: string): number {
    const log = this.topics.get(topic);
    return log ? log.next - log.base : 0;
  }

  private async waitForRoom(log: TopicLog, options: PublishOptions): Promise<void> {
    for (;;) {
      if (this.closed) throw new BusError('LT_BUS_CLOSED', `cannot publish to ${log.name}: bus is closed`);
      // A batch is let in whole while the topic is below its bound, so a batch larger than it still goes.
      if (log.persistent || log.next - log.base < this.maxPending) return;
      if (options.refuseWhenFull)
        throw new BusError(
          'LT_BUS_FULL',
          `${log.name} holds ${log.next - log.base} unconsumed messages (bound ${this.maxPending})`,
          true,
        );
      await new Promise<void>((resolve) => log.room.add(resolve));
    }
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
    // Publishers waiting for room find the bus closed and give up.
    for (const log of this.topics.values()) this.wakeRoom(log);
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
    this.options.metrics?.busPendingMessages.set({ topic: log.name }, log.next - log.base);
    this.wakeRoom(log);
  }

  private wakeRoom(log: TopicLog): void {
    const waiting = [...log.room];
    log.room.clear();
    for (const resolve of waiting) resolve();
  }

  private topic(name: string): TopicLog {
    let log = this.topics.get(name);
    if (!log) {
      const persistent =
        Boolean(this.options.dataDir) && (this.options.persistentTopics ?? []).includes(name);
      log = {
        name,
        entries: [],
        base: 0,
        next: 0,
        persistent,
        positions: new Map(),
        wake: new Set(),
        room: new Set(),
      };
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
      if (this.bus.shouldYield(this.log.name)) {
        // The redirect is busy: hold this batch back; publishers meanwhile fill the bound and spool.
        const started = performance.now();
        await this.pause(YIELD_POLL_MS);
        this.deps.metrics?.busYieldSeconds.inc(
          { topic: this.log.name },
          (performance.now() - started) / 1_000,
        );
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

  /** Sleeps until the timeout or stop(), whatever is published meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
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
