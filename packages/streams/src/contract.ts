import type { AvroRecordSchema, RecordOf } from '@linktrack/schema';
import { extraColumns, type RowMapping, rowMapper } from './row-format.js';

export interface Reader {
  group: string;
  /** Each instance reads the whole topic under `<group>-<uuid>` and commits nothing (see instanceGroup). */
  perInstance?: boolean;
}

/** A topic: what travels on it, how it is keyed, who reads it. */
export interface TopicContract {
  /** Logical name; Kafka's is LINKTRACK_KAFKA_TOPIC_PREFIX + topic. */
  topic: string;
  /** What the message key is, and why. */
  key: string;
  /** What a message is, in a phrase (the README's topic table). */
  carries: string;
  /** Keeps the newest message per key (a registry, read whole at start), not a history. */
  compacted: boolean;
  readers: readonly Reader[];
}

/**
 * Where the sink stores a stream. The row is the record's fields under their
 * column names (booleans as 0/1), except the `derived` columns; the sink
 * writes it as TabSeparated text straight from the decoded record (see
 * row-format.ts), and `toRow` is the same mapping as an object.
 */
export interface TableContract<T> extends RowMapping<T> {
  /** The table, with its database. */
  name: string;
  /** The sink's consumer group for the stream; one of the stream's readers. */
  group: string;
  /** A record as one row object; must agree with the derived columns (tableOf builds it from them). */
  toRow(record: T): Record<string, unknown>;
  /** Columns ClickHouse fills itself (a DEFAULT), which records do not carry. */
  filledByClickHouse?: readonly string[];
}

/** A table contract whose `toRow` is derived from the schema and the mapping, so the two cannot disagree. */
export function tableOf<const S extends AvroRecordSchema>(
  schema: S,
  table: Omit<TableContract<RecordOf<S>>, 'toRow'>,
): TableContract<RecordOf<S>> {
  return { ...table, toRow: rowMapper<RecordOf<S>>(schema, table) };
}

/** A topic of Avro records: the one place a stream is declared. */
export interface StreamContract<S extends AvroRecordSchema = AvroRecordSchema> extends TopicContract {
  /** The version this build writes. */
  schema: S;
  /** Every earlier version, oldest first; readers resolve them without waiting for the schemas topic. */
  history: readonly AvroRecordSchema[];
  table: TableContract<RecordOf<S>> | null;
}

export function isStream(topic: TopicContract): topic is StreamContract {
  return 'schema' in topic;
}

/** Keeps the schema's literal type, from which the record type is derived. */
export function defineStream<const S extends AvroRecordSchema>(
  contract: StreamContract<S>,
): StreamContract<S> {
  return contract;
}

export type RecordOfStream<C> = C extends StreamContract<infer S> ? RecordOf<S> : never;

/**
 * The columns a stream's table must have: each Avro field under its column
 * name, the contract's extra derived columns, then those ClickHouse fills.
 */
export function tableColumns(stream: StreamContract): string[] {
  if (!stream.table) return [];
  const renamed = stream.table.renamed ?? {};
  return [
    ...stream.schema.fields.map((f) => renamed[f.name] ?? f.name),
    ...extraColumns(stream.schema, stream.table as RowMapping<unknown>),
    ...(stream.table.filledByClickHouse ?? []),
  ];
}
