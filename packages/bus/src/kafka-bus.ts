import type { KafkaConfig } from '@linktrack/config';
import type { Logger, Metrics } from '@linktrack/telemetry';
import {
  type Admin,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaConfig as KafkaJsConfig,
  logLevel,
  Partitioners,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import { backoffMs } from './backoff.js';
import { BusError } from './errors.js';
import { viewFrames } from './frames.js';
import { kafkaLogCreator } from './kafka-log.js';
import type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './types.js';

export interface KafkaBusOptions {
  config: KafkaConfig;
  logger: Logger;
  metrics?: Metrics;
  /** The topics to create at connect when missing (from the stream contracts). */
  topics: readonly TopicSpec[];
  /** How long one publish may take before it fails (the redirect then spools). */
  publishTimeoutMs?: number;
}

/**
 * The bus on Apache Kafka (kafkajs 2.2). Producer: idempotent, acks=all, the
 * Java client's murmur2 partitioner. Consumers: eachBatch with auto-commit and
 * auto-resolve off; an offset is committed only after the handler succeeded.
 */
export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<KafkaSubscription>();
  private connected: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: KafkaBusOptions) {
    const { config, logger } = options;
    const client: KafkaJsConfig = {
      clientId: config.clientId,
      brokers: config.brokers,
      ssl: config.ssl,
      logLevel: logLevel.INFO,
      logCreator: kafkaLogCreator(logger),
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5_000 },
    };
    if (config.sasl) client.sasl = config.sasl as SASLOptions;
    this.kafka = new Kafka(client);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Fail fast: the redirect spools to disk instead of waiting on a broker that is down.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    this.admin = this.kafka.admin();
  }

  /** Kafka's topic name for a logical topic. */
  topicName(topic: string): string {
    return `${this.options.config.topicPrefix}${topic}`;
  }

  /** Connects and creates missing topics; registry topics are compacted. Safe to call again. */
  connect(): Promise<void> {
    this.connected ??= this.doConnect().catch((err) => {
      this.connected = null;
      throw new BusError(
        'LT_BUS_UNAVAILABLE',
        `Kafka at ${this.options.config.brokers.join(',')}: ${err.message}`,
        true,
        {
          cause: err,
        },
      );
    });
    return this.connected;
  }

  private async doConnect(): Promise<void> {
    await this.admin.connect();
    await this.ensureTopics();
    await this.producer.connect();
  }

  private async ensureTopics(): Promise<void> {
    const { partitions, replicationFactor } = this.options.config;
    const existing = new Set(await this.admin.listTopics());
    const wanted = this.options.topics.map((t) => ({
      topic: this.topicName(t.topic),
      // Registries are read whole at start; one partition keeps them in order.
      numPartitions: t.compacted ? 1 : partitions,
      replicationFactor,
      // A record stays at least an hour before compaction may drop it, so the loser of a
      // slug race has time to publish the winner's state again (see the api's link service).
      configEntries: t.compacted
        ? [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'min.compaction.lag.ms', value: '3600000' },
          ]
        : [],
    }));
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await this.admin.createTopics({ topics: missing, waitForLeaders: true });
    this.options.logger.info(
      { event: 'kafka_topics_created', topics: missing.map((t) => t.topic) },
      'created topics',
    );
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new BusError('LT_BUS_CLOSED', `cannot publish to ${topic}: bus is closed`);
    if (messages.length === 0) return;
    await this.connect();
    const send = this.producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: this.topicName(topic), messages }],
    });
    await withTimeout(send, this.options.publishTimeoutMs ?? 10_000, `publish to ${topic}`);
    this.options.metrics?.busPublished.inc({ topic }, messages.length);
  }

  async publishFrames(topic: string, frames: Buffer): Promise<void> {
    await this.publish(topic, viewFrames(frames));
  }

  async subscribe(
    topic: string,
    group: string,
    handler: BatchHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    await this.connect();
    const subscription = new KafkaSubscription(
      this,
      this.kafka,
      topic,
      group,
      handler,
      options,
      this.options,
    );
    await subscription.start();
    this.consumers.add(subscription);
    return {
      close: async () => {
        await subscription.stop();
        this.consumers.delete(subscription);
      },
    };
  }

  async endOffsets(topic: string): Promise<Map<number, string>> {
    await this.connect();
    const offsets = await this.admin.fetchTopicOffsets(this.topicName(topic));
    return new Map(offsets.map((o) => [o.partition, o.high]));
  }

  /** The oldest offset still held, per partition (later than 0 once records were deleted or expired). */
  async startOffsets(topic: string): Promise<Map<number, string>> {
    await this.connect();
    const offsets = await this.admin.fetchTopicOffsets(this.topicName(topic));
    return new Map(offsets.map((o) => [o.partition, o.low]));
  }

  /** Deletes a partition's records before `offset` (DeleteRecords); used after a commit. */
  async deleteRecordsBefore(topic: string, partition: number, offset: string): Promise<void> {
    await this.admin.deleteTopicRecords({
      topic: this.topicName(topic),
      partitions: [{ partition, offset }],
    });
  }

  /** What a consumer group has committed per partition (-1: nothing yet); for lag and tests. */
  async committedOffsets(topic: string, group: string): Promise<Map<number, string>> {
    await this.connect();
    const [entry] = await this.admin.fetchOffsets({
      groupId: `${this.options.config.topicPrefix}${group}`,
      topics: [this.topicName(topic)],
    });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    await this.producer.disconnect().catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }
}

class KafkaSubscription {
  private readonly consumer: Consumer;
  private readonly maxBatchSize: number;
  /** When each partition's consumed records were last deleted: at most once a second each. */
  private readonly deletedAt = new Map<number, number>();
  /** Committed offsets whose records are still to be deleted, per partition. */
  private readonly toDelete = new Map<number, string>();
  private deleteTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: KafkaBus,
    kafka: Kafka,
    private readonly topic: string,
    private readonly group: string,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
    private readonly deps: KafkaBusOptions,
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 500;
    // With minBytes 1 the broker answers as soon as anything arrives, so a long wait costs no
    // latency; it only stops idle consumers from polling (10 ms meant 100 fetches/s each).
    const batching = (options.maxWaitMs ?? 0) > 0;
    const waitMs = batching ? (options.maxWaitMs as number) : 500;
    this.consumer = kafka.consumer({
      groupId: `${deps.config.topicPrefix}${group}`,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // The broker holds a fetch until it has roughly a full batch or the wait is over.
      maxWaitTimeInMs: waitMs,
      minBytes: batching ? this.maxBatchSize * 200 : 1,
      maxBytesPerPartition: 8 * 1024 * 1024,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topic: this.bus.topicName(this.topic),
      fromBeginning: this.options.fromBeginning !== false,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Stops fetching, lets the batch in flight finish and commit, and leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    this.deleteTimer = null;
    // What was committed last is deleted on the way out too.
    await Promise.all([...this.toDelete.keys()].map((p) => this.deleteNow(p)));
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    for (let from = 0; from < batch.messages.length; from += this.maxBatchSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(from, from + this.maxBatchSize);
      const delivered: Batch = {
        topic: this.topic,
        partition: batch.partition,
        messages: chunk.map((m) => ({
          key: m.key,
          value: m.value ?? Buffer.alloc(0),
          topic: this.topic,
          partition: batch.partition,
          offset: m.offset,
          timestamp: Number(m.timestamp),
        })),
      };
      if (!(await this.handleWithRetry(delivered, heartbeat, isRunning, isStale))) return;
      const last = (chunk.at(-1) as { offset: string }).offset;
      resolveOffset(last);
      // Commit only after the handler's side effect succeeded: the next offset to read.
      const next = (BigInt(last) + 1n).toString();
      if (this.options.commit !== false)
        await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      if (this.options.deleteConsumed) await this.deleteConsumed(batch.partition, next);
      await heartbeat();
    }
  }

  /**
   * Deletes what was committed (never what was not), at most once a second per
   * partition: a deletion covers everything before its offset, so a later one
   * (or the trailing one scheduled here) makes up for a skipped or failed one.
   */
  private async deleteConsumed(partition: number, offset: string): Promise<void> {
    this.toDelete.set(partition, offset);
    const wait = 1_000 - (Date.now() - (this.deletedAt.get(partition) ?? 0));
    if (wait > 0) {
      this.deleteTimer ??= setTimeout(() => {
        this.deleteTimer = null;
        void Promise.all([...this.toDelete.keys()].map((p) => this.deleteNow(p)));
      }, wait).unref();
      return;
    }
    await this.deleteNow(partition);
  }

  private async deleteNow(partition: number): Promise<void> {
    const offset = this.toDelete.get(partition);
    if (offset === undefined) return;
    this.toDelete.delete(partition);
    this.deletedAt.set(partition, Date.now());
    try {
      await this.bus.deleteRecordsBefore(this.topic, partition, offset);
    } catch (err) {
      this.deps.logger.warn(
        { event: 'consumed_records_delete_failed', topic: this.topic, partition, offset, err },
        'could not delete consumed records; retrying after the next batch',
      );
    }
  }

  /** Retries the handler with backoff while we still own the partition; false when we should stop. */
  private async handleWithRetry(
    batch: Batch,
    heartbeat: () => Promise<void>,
    isRunning: () => boolean,
    isStale: () => boolean,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler(batch);
        return true;
      } catch (err) {
        this.deps.metrics?.busHandlerFailures.inc({ topic: this.topic, group: this.group });
        this.deps.logger.warn(
          {
            event: 'bus_handler_failed',
            topic: this.topic,
            group: this.group,
            partition: batch.partition,
            attempt,
            err,
          },
          'batch handler failed; retrying',
        );
        const until = Date.now() + backoffMs(attempt);
        while (Date.now() < until) {
          if (!isRunning() || isStale()) return false;
          await heartbeat().catch(() => {});
          await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
        }
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BusError('LT_BUS_UNAVAILABLE', `${what} timed out after ${ms} ms`, true)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
