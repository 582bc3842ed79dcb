import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { type AnalystLimits, analystSettings } from './limits.js';

export type OutputFormat = 'JSONEachRow' | 'TabSeparatedRaw';

/**
 * One place an analyst statement runs, one statement at a time, under the
 * analyst limits and readonly=1. The statement is sent exactly as given (no
 * FORMAT appended); the output format is chosen out of band.
 */
export interface AnalystSession {
  /**
   * Runs one statement. `final` (default true) reads every table that can
   * collapse replayed copies (ReplacingMergeTree and kin) as FINAL.
   */
  text(
    sql: string,
    params: Record<string, unknown> | undefined,
    format: OutputFormat,
    signal?: AbortSignal,
    final?: boolean,
  ): Promise<string>;
  /** Stops the statement running here, if any; the engine answers it with QUERY_WAS_CANCELLED. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Embedded engine: a chDB connection of its own per session. Settings set on
 * a chDB connection stay for its later queries, so the limits and readonly=1
 * are set once, and never reach the sink's connection. Each session carries
 * its own log_comment, so a cancel kills exactly the statement running on it.
 *
 * After a statement fails mid-result (a result limit, a cancel), chDB hands
 * that statement's partial output to the *next* statement on the connection
 * (chdb 3.4). So a session whose statement failed gets a fresh connection.
 *
 * `final` is one of those settings, and readonly=1 forbids changing it later:
 * a statement asking for the other value reopens the connection with it (the
 * session keeps that value until asked otherwise).
 */
export async function openEmbeddedSession(
  connect: () => ClickHouseClient,
  control: ClickHouseClient,
  limits: AnalystLimits,
): Promise<AnalystSession> {
  const tag = `linktrack-analyst-${randomUUID()}`;
  const open = async (final: boolean) => {
    const sets = [`SET log_comment = '${tag}'`, `SET final = ${final ? 1 : 0}`];
    for (const [name, value] of Object.entries(analystSettings(limits)))
      sets.push(`SET ${name} = ${typeof value === 'number' ? value : `'${value}'`}`);
    const client = connect();
    await client.command({ query: sets.join('; ') });
    return client;
  };
  let mode = true;
  let client = await open(mode);
  return {
    async text(sql, params, format, signal, final = true) {
      if (final !== mode) {
        const previous = client;
        client = await open(final);
        mode = final;
        await previous.close();
      }
      try {
        const result = await client.exec({
          query: sql,
          query_params: params,
          abort_signal: signal,
          clickhouse_settings: { default_format: format },
        });
        return await readText(result.stream);
      } catch (err) {
        const spoiled = client;
        client = await open(mode);
        // Closing waits for a statement still running natively (a killed one) before releasing it.
        void spoiled.close().catch(() => {});
        throw err;
      }
    },
    async cancel() {
      // chDB cannot interrupt a running call from JavaScript; KILL from another connection can.
      await control.command({ query: `KILL QUERY WHERE Settings['log_comment'] = '${tag}' ASYNC` });
    },
    close: () => client.close(),
  };
}

/**
 * ClickHouse server: every statement is an HTTP request carrying the limits,
 * readonly=1 last. A request whose client goes away is cancelled by the
 * server (cancel_http_readonly_queries_on_client_close) and by KILL QUERY on
 * its query_id.
 */
export function serverSession(
  client: ClickHouseClient,
  control: ClickHouseClient,
  limits: AnalystLimits,
): AnalystSession {
  const { readonly, ...rest } = analystSettings(limits);
  const settings = {
    ...rest,
    log_comment: 'linktrack-analyst',
    cancel_http_readonly_queries_on_client_close: 1,
    // Errors that happen mid-result must come back as errors, not as a truncated 200.
    wait_end_of_query: 1,
    readonly: String(readonly),
  } as ClickHouseSettings;
  let running: string | null = null;
  return {
    async text(sql, params, format, signal, final = true) {
      const id = randomUUID();
      running = id;
      try {
        const result = await client.exec({
          query: sql,
          query_params: params,
          query_id: id,
          abort_signal: signal,
          // readonly comes last in the request, so final is set before it applies.
          clickhouse_settings: { final: final ? 1 : 0, ...settings, default_format: format },
        });
        return await readText(result.stream);
      } finally {
        running = null;
      }
    },
    async cancel() {
      const id = running;
      if (id)
        await control.command({
          query: 'KILL QUERY WHERE query_id = {id:String} ASYNC',
          query_params: { id },
        });
    },
    close: async () => {},
  };
}
