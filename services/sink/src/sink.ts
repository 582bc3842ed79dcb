import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { type Batch, type Bus, type Subscription, TOPICS } from '@linktrack/bus';
import {
  type Codec,
  type Codecs,
  type DeadLetter,
  deadLetterFor,
  type WriterSchemaFollower,
} from '@linktrack/schema';
import type { Logger, Metrics } from '@linktrack/telemetry';
import { clickRow, deadLetterRow, linkRow } from './rows.js';

export interface SinkDeps {
  bus: Bus;
  client: ClickHouseClient;
  codecs: Codecs;
  /** Writer schemas announced by other processes; absent when every writer runs our version. */
  schemas?: WriterSchemaFollower;
  logger: Logger;
  metrics: Metrics;
  /** Flush at this many rows or after this long, whichever comes first. */
  batchRows?: number;
  batchWaitMs?: number;
}

export interface Sink {
  stop(): Promise<void>;
}

interface TableSpec {
  topic: string;
  group: string;
  table: string;
  /** Decodes one message into its row; throws on bad bytes. */
  rowOf: (bytes: Buffer) => object;
  knowsWriter: (bytes: Buffer) => boolean;
}

/**
 * Writes three topics to their tables. A failed insert rejects the batch, so
 * the bus redelivers it with backoff and no offset moves past unwritten rows.
 */
export async function startSink(deps: SinkDeps): Promise<Sink> {
  const specs = [
    spec(TOPICS.clicksEnriched, 'sink', 'linktrack.clicks', deps.codecs.enrichedClick, clickRow),
    spec(TOPICS.links, 'sink-links', 'linktrack.links', deps.codecs.linkEvent, linkRow),
    spec(TOPICS.dlq, 'sink-dlq', 'linktrack.dead_letters', deps.codecs.deadLetter, deadLetterRow),
  ];
  const subscriptions: Subscription[] = [];
  for (const s of specs) {
    subscriptions.push(
      await deps.bus.subscribe(s.topic, s.group, (batch) => writeBatch(s, batch, deps), {
        maxBatchSize: deps.batchRows ?? 5_000,
        maxWaitMs: deps.batchWaitMs ?? 1_000,
        fromBeginning: true,
      }),
    );
  }
  deps.logger.info({ event: 'sink_started' }, 'sink writing to ClickHouse');
  return {
    stop: async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
    },
  };
}

function spec<T>(
  topic: string,
  group: string,
  table: string,
  codec: Codec<T>,
  toRow: (r: T) => object,
): TableSpec {
  return {
    topic,
    group,
    table,
    rowOf: (bytes) => toRow(codec.decode(bytes)),
    knowsWriter: (bytes) => codec.knowsWriter(bytes),
  };
}

async function writeBatch(s: TableSpec, batch: Batch, deps: SinkDeps): Promise<void> {
  if (deps.schemas && batch.messages.some((m) => !s.knowsWriter(m.value))) await deps.schemas.catchUp();
  const rows: object[] = [];
  const dead: DeadLetter[] = [];
  for (const message of batch.messages) {
    try {
      rows.push(s.rowOf(message.value));
    } catch (err) {
      dead.push(deadLetterFor(message, 'sink.decode', 'undecodable', err as Error));
      deps.metrics.pipelineResults.inc({ pipeline: 'sink', result: 'dlq', reason: 'undecodable' });
    }
  }
  const token = batchToken(batch);
  await insert(deps, s.table, rows, token);
  // Straight to the table: re-publishing to the dlq topic would loop if the dlq itself is bad.
  await insert(deps, 'linktrack.dead_letters', dead.map(deadLetterRow), `${token}:dead`);
}

/**
 * The same messages always give the same token, so ClickHouse drops a batch
 * replayed after a crash between insert and commit. The bytes are part of it:
 * in-process offsets restart at 0, and must never match an earlier run's batch.
 * Every insert carries a token: on chDB a per-query setting outlives its query.
 */
export function batchToken(batch: Batch): string {
  const first = batch.messages[0];
  const last = batch.messages.at(-1);
  const hash = createHash('sha256').update(
    `${batch.topic}\0${batch.partition}\0${first?.offset}\0${last?.offset}\0`,
  );
  if (first) hash.update(first.value);
  if (last) hash.update(last.value);
  return `${batch.topic}:${batch.partition}:${first?.offset}-${last?.offset}:${hash.digest('hex').slice(0, 24)}`;
}

async function insert(deps: SinkDeps, table: string, rows: object[], token: string): Promise<void> {
  if (rows.length === 0) return;
  const timer = deps.metrics.sinkInsertDuration.startTimer({ table });
  try {
    await deps.client.insert({
      table,
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token },
    });
    deps.metrics.sinkRowsInserted.inc({ table }, rows.length);
  } catch (err) {
    deps.metrics.sinkInsertFailures.inc({ table });
    deps.logger.error(
      { event: 'sink_insert_failed', table, rows: rows.length, err },
      'insert failed; will retry',
    );
    throw err;
  } finally {
    timer();
  }
}
