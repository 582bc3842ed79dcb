import { createHash } from 'node:crypto';
import type { Batch, Bus, Subscription } from '@linktrack/bus';
import {
  createDeadLetters,
  createDecodeStep,
  createPipeline,
  type DeadLetters,
  dlq,
  ok,
  type Pipeline,
  type Step,
} from '@linktrack/pipeline';
import {
  type Codec,
  type Codecs,
  catchUpOnWriters,
  codecOf,
  type StreamContract,
  storedStreams,
  type TableContract,
  type TsvRowWriter,
  tsvRowWriter,
  type WriterSchemaFollower,
} from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';

/** Inserts serialized rows with a deduplication token: the store's `insertTsv`. */
export type TsvInserter = (insert: {
  table: string;
  columns: readonly string[];
  body: Buffer;
  token: string;
}) => Promise<void>;

export interface SinkDeps {
  bus: Bus;
  insert: TsvInserter;
  /** The process's shared codecs, and one for each stored stream declared elsewhere (see codecOf). */
  codecs: Codecs & { readonly [record: string]: Codec<unknown> };
  /** Writer schemas announced by other processes; absent when every writer runs our version. */
  schemas?: WriterSchemaFollower;
  logger: Logger;
  metrics: Metrics;
  /** The streams to store; by default every stream whose contract names a table. */
  streams?: readonly StreamContract[];
  /** Flush at this many rows or after this long, whichever comes first. */
  batchRows?: number;
  batchWaitMs?: number;
}

export interface Sink {
  stop(): Promise<void>;
}

/**
 * Writes every stored stream to its table. A failed insert rejects the batch,
 * so the bus redelivers it with backoff and no offset moves past unwritten rows.
 */
export async function startSink(deps: SinkDeps): Promise<Sink> {
  const deadLetters = createDeadLetters({
    bus: deps.bus,
    codec: deps.codecs.deadLetter,
    logger: deps.logger,
    service: 'sink',
  });
  const subscriptions: Subscription[] = [];
  for (const stream of storedStreams(deps.streams)) {
    const table = stream.table as TableContract<unknown>;
    const writer = tableWriter(stream, table, deps, deadLetters);
    subscriptions.push(
      await deps.bus.subscribe(stream.topic, table.group, writer, {
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

function tableWriter(
  stream: StreamContract,
  table: TableContract<unknown>,
  deps: SinkDeps,
  deadLetters: DeadLetters,
): (batch: Batch) => Promise<void> {
  const codec = codecOf(deps.codecs, stream);
  const rows = tsvRowWriter(stream.schema, table);
  const pipeline: Pipeline<Buffer, string> = createPipeline<Buffer>(
    `sink.${table.name.replace(/^\w+\./, '')}`,
    deps.metrics,
  )
    .pipe(createDecodeStep(codec))
    .pipe(createRowStep(rows));
  return async (batch) => {
    await catchUpOnWriters(deps.schemas, codec, batch.messages);
    const { values, failed } = pipeline.run(batch.messages, (m) => m.value);
    if (values.length > 0) {
      // One string, one buffer: the engine parses it in place.
      const body = Buffer.from(`${values.join('\n')}\n`);
      await insert(
        deps,
        { table: table.name, columns: rows.columns, body, token: batchToken(batch) },
        values.length,
      );
    }
    await deadLetters(failed);
  };
}

/** A record to its table's TabSeparated line, by the stream contract's mapping; no row object on the way. */
function createRowStep(rows: TsvRowWriter<unknown>): Step<unknown, string> {
  return {
    name: 'row',
    run(record) {
      try {
        return ok(rows.line(record));
      } catch (err) {
        return dlq('unmappable', err);
      }
    },
  };
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

async function insert(deps: SinkDeps, batch: Parameters<TsvInserter>[0], rows: number): Promise<void> {
  const { table } = batch;
  const timer = deps.metrics.sinkInsertDuration.startTimer({ table });
  try {
    await deps.insert(batch);
    deps.metrics.sinkRowsInserted.inc({ table }, rows);
  } catch (err) {
    deps.metrics.sinkInsertFailures.inc({ table });
    deps.logger.error({ event: 'sink_insert_failed', table, rows, err }, 'insert failed; will retry');
    throw err;
  } finally {
    timer();
  }
}
