/**
 * The transport between services. Services depend on this interface only, so
 * the in-process bus (embedded default) and Kafka are interchangeable.
 * Topic names here are logical ("clicks.raw"); implementations add a prefix.
 */
export interface BusMessage {
  /** Partitioning key: messages with the same key keep their order. */
  key: Buffer | null;
  value: Buffer;
}

export interface ConsumedMessage extends BusMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit, so they travel as strings. */
  offset: string;
  timestamp: number;
}

export interface Batch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

/** Resolve to commit the batch; reject to have the same batch delivered again. */
export type BatchHandler = (batch: Batch) => Promise<void>;

export interface SubscribeOptions {
  /** Most messages handed to one handler call. */
  maxBatchSize?: number;
  /** How long a partial batch may wait for more messages before it is handed over. */
  maxWaitMs?: number;
  /** A group with no committed offset starts at the oldest message (true) or the newest (false). */
  fromBeginning?: boolean;
  /**
   * false for a reader that rebuilds state from the whole topic at every start
   * (the link and schema registries): nothing to resume, so no offsets are
   * committed and its one-off group leaves nothing behind on the broker.
   */
  commit?: boolean;
  /**
   * Delete what this group has committed from the topic (Kafka DeleteRecords),
   * for a topic that holds personal data and that only this group reads: the
   * raw clicks, whose full client addresses must not outlive their reading.
   * The in-process bus keeps nothing past its readers anyway.
   */
  deleteConsumed?: boolean;
}

export interface Subscription {
  /** Stops delivery after the batch in flight has been handled and committed. */
  close(): Promise<void>;
}

export interface PublishOptions {
  /**
   * A bounded in-process topic that is full rejects at once with LT_BUS_FULL
   * instead of waiting for room: the redirect keeps its clicks (buffer, spool)
   * and never waits on the pipeline. Kafka has no such bound and ignores it.
   */
  refuseWhenFull?: boolean;
}

export interface Bus {
  readonly kind: 'in-process' | 'kafka';
  /** Resolves once the messages are stored (in-process: waits while the topic is full, see PublishOptions). */
  publish(topic: string, messages: BusMessage[], options?: PublishOptions): Promise<void>;
  /** The same for a batch already framed in one buffer (frames.ts), as the redirect builds them. */
  publishFrames(topic: string, frames: Buffer, options?: PublishOptions): Promise<void>;
  subscribe(
    topic: string,
    group: string,
    handler: BatchHandler,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /** The next offset to be written, per partition: a reader that has reached these is caught up. */
  endOffsets(topic: string): Promise<Map<number, string>>;
  close(): Promise<void>;
}

/** A topic the Kafka bus creates when it is missing. */
export interface TopicSpec {
  topic: string;
  /** Keeps the newest message per key; gets one partition, so a registry is read in order. */
  compacted: boolean;
}
