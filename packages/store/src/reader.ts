import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { Session } from 'chdb';
import { SessionPool } from './analyst/session-pool.js';
import { StoreError } from './errors.js';

/** Query parameters: the values of `{name:Type}` placeholders, never part of the SQL text. */
export type QueryParams = Record<string, string | number>;

/** The formats a streamed result may take. */
export type StreamFormat = 'CSVWithNames' | 'JSONEachRow' | 'Parquet';

/**
 * Reads for the analytics api: statements the api builds itself (never an
 * analyst's text), so they skip analyst SQL's statement checks and its result
 * limits, which would stop an export. Every statement reads FINAL (replayed
 * copies of a row count once), 64-bit integers come back as JSON numbers and
 * times as ISO-8601.
 */
export interface AnalyticsReader {
  /** The rows of one SELECT. */
  rows<T = Record<string, unknown>>(sql: string, params: QueryParams, signal?: AbortSignal): Promise<T[]>;
  /**
   * The result as bytes in `format`, chunk by chunk as the engine produces it.
   * It resolves once the first chunk is there, so a failing statement rejects
   * here, before a caller has answered anything.
   */
  stream(
    sql: string,
    params: QueryParams,
    format: StreamFormat,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<Uint8Array>>;
  close(): Promise<void>;
}

export interface ReaderLimits {
  /** Statements at once; more wait their turn. */
  maxConcurrent: number;
  /** Callers waiting; beyond it LT_STORE_BUSY. */
  maxQueued: number;
  maxMemoryBytes: number;
}

/** The settings every reader statement runs under, readonly last (2: the statement may still carry SETTINGS). */
export function readerSettings(limits: ReaderLimits): Record<string, string | number> {
  return {
    final: 1,
    output_format_json_quote_64bit_integers: 0,
    date_time_output_format: 'iso',
    max_memory_usage: limits.maxMemoryBytes,
    readonly: 2,
  };
}

function busy(maxQueued: number): StoreError {
  return new StoreError(
    'LT_STORE_BUSY',
    `too many analytics queries at once (${maxQueued} already waiting); retry shortly`,
    true,
  );
}

function parseLines<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line !== '') rows.push(JSON.parse(line) as T);
  return rows;
}

/** Pulls the first chunk now (so errors surface before any answer), then yields it and the rest. */
async function primed(
  chunks: AsyncIterator<Uint8Array>,
  release: () => void,
): Promise<AsyncIterable<Uint8Array>> {
  let first: IteratorResult<Uint8Array>;
  try {
    first = await chunks.next();
  } catch (err) {
    release();
    throw err;
  }
  async function* rest() {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      await chunks.return?.();
      release();
    }
  }
  return rest();
}

/**
 * Embedded engine: chDB sessions of their own at the store's path, so reads
 * never queue behind the sink's inserts and their settings (set once per
 * session, as chDB keeps them) reach no other connection.
 */
export async function embeddedReader(path: string, limits: ReaderLimits): Promise<AnalyticsReader> {
  const sets = Object.entries(readerSettings(limits))
    .map(([name, value]) => `SET ${name} = ${typeof value === 'number' ? value : `'${value}'`}`)
    .join('; ');
  const sessions: Session[] = [];
  for (let i = 0; i < limits.maxConcurrent; i++) {
    const session = new Session(path);
    await session.queryAsync(sets);
    sessions.push(session);
  }
  const pool = new SessionPool(sessions, limits.maxQueued, busy);
  return {
    async rows<T>(sql: string, params: QueryParams, signal?: AbortSignal) {
      const session = await pool.acquire(signal);
      try {
        const result = await session.queryBindAsync(sql, params, {
          format: 'JSONEachRow',
          ...(signal ? { signal } : {}),
        });
        return parseLines<T>(result.text());
      } finally {
        pool.release(session);
      }
    },
    async stream(sql, params, format, signal) {
      const session = await pool.acquire(signal);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        pool.release(session);
      };
      let chunks: AsyncIterator<Uint8Array>;
      try {
        const stream = session.queryStreamBind(sql, params, { format, ...(signal ? { signal } : {}) });
        chunks = (async function* () {
          for await (const chunk of stream) yield chunk.raw();
        })();
      } catch (err) {
        release();
        throw err;
      }
      return primed(chunks, release);
    },
    close: async () => {
      for (const s of sessions) s.close();
    },
  };
}

/** ClickHouse server: every statement is a request carrying the reader's settings. */
export function serverReader(client: ClickHouseClient, limits: ReaderLimits): AnalyticsReader {
  const settings = readerSettings(limits) as unknown as ClickHouseSettings;
  const pool = new SessionPool(
    Array.from({ length: limits.maxConcurrent }, (_, i) => i),
    limits.maxQueued,
    busy,
  );
  return {
    async rows<T>(sql: string, params: QueryParams, signal?: AbortSignal) {
      const slot = await pool.acquire(signal);
      try {
        const result = await client.query({
          query: sql,
          query_params: params,
          format: 'JSONEachRow',
          clickhouse_settings: settings,
          ...(signal ? { abort_signal: signal } : {}),
        });
        return await result.json<T>();
      } finally {
        pool.release(slot);
      }
    },
    async stream(sql, params, format, signal) {
      const slot = await pool.acquire(signal);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        pool.release(slot);
      };
      let chunks: AsyncIterator<Uint8Array>;
      try {
        const result = await client.exec({
          query: sql,
          query_params: params,
          clickhouse_settings: { ...settings, default_format: format },
          ...(signal ? { abort_signal: signal } : {}),
        });
        chunks = result.stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      } catch (err) {
        release();
        throw err;
      }
      return primed(chunks, release);
    },
    close: async () => {},
  };
}
