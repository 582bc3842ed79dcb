import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';

/** One batch of rows, already serialized: the sink's only kind of insert. */
export interface TsvInsert {
  /** The table, with its database. */
  table: string;
  /** The columns each line holds, in order; the others get their DEFAULT. */
  columns: readonly string[];
  /** TabSeparated lines, each ending in a newline. */
  body: Buffer;
  /**
   * insert_deduplication_token: the same batch inserted again (a replay after a
   * crash between insert and commit) is dropped by the engine. Required: on chDB
   * a setting given to one query outlives it, so every insert names its own.
   */
  token: string;
}

export type TsvInserter = (insert: TsvInsert) => Promise<void>;

/**
 * Per-insert settings. optimize_on_insert=0: a ReplacingMergeTree would
 * otherwise collapse duplicate keys inside each inserted block, which costs
 * about a sixth of the insert (measured with bench:sink's data) and finds
 * none: a batch never repeats a click; replays are dropped by the token, and
 * rows repeated across batches are collapsed by merges (FINAL) as before.
 */
function settings(token: string) {
  return { insert_deduplication_token: token, optimize_on_insert: 0 } as const;
}

/**
 * Embedded: chDB's raw insert hands the buffer to the engine's parser without
 * a copy, and the SETTINGS clause it writes applies to this statement only.
 * (@clickhouse/client's chDB connection would paste the body into the SQL text.)
 */
export function chdbTsvInserter(connection: ChdbConnection): TsvInserter {
  return async ({ table, columns, body, token }) => {
    if (body.length === 0) return;
    await connection.chdb.rawInsert({
      table,
      columns,
      values: body,
      format: 'TabSeparated',
      settings: settings(token),
    });
  };
}

/** A server: the same bytes as the request body of one HTTP insert, with the token as a query setting. */
export function serverTsvInserter(client: ClickHouseClient): TsvInserter {
  return async ({ table, columns, body, token }) => {
    if (body.length === 0) return;
    await client.insert({
      table,
      columns: columns as [string, ...string[]],
      values: Readable.from([body], { objectMode: false }),
      format: 'TabSeparated',
      clickhouse_settings: settings(token),
    });
  };
}
