import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from '@clickhouse/client';
import { ensurePrivateDir } from '@linktrack/config';
import type { Logger } from '@linktrack/telemetry';
import { type ChdbConnection, createChdbConnection } from 'chdb/connection';
import { type AnalystSql, createAnalystSql } from './analyst/analyst-sql.js';
import { type AnalystLimits, DEFAULT_ANALYST_LIMITS } from './analyst/limits.js';
import { type AnalystSession, openEmbeddedSession, serverSession } from './analyst/sessions.js';
import { clientLog } from './client-log.js';
import { StoreError } from './errors.js';
import { migrate } from './migrations.js';
import { chdbTsvInserter, serverTsvInserter, type TsvInserter } from './raw-insert.js';
import { type AnalyticsReader, embeddedReader, serverReader } from './reader.js';

export interface StoreOptions {
  /** A ClickHouse server; null runs the engine in-process (chDB) under dataDir. */
  url: string | null;
  dataDir: string;
  logger: Logger;
  /** Apply migrations at open (default true). */
  migrate?: boolean;
  /** Bounds on analyst SQL (defaults: DEFAULT_ANALYST_LIMITS). */
  analystLimits?: AnalystLimits;
}

export interface Store {
  mode: 'embedded' | 'server';
  /** Read/write client for the sink and migrations. */
  client: ClickHouseClient;
  /** The sink's inserts: serialized rows, the cheapest path each engine offers (see raw-insert.ts). */
  insertTsv: TsvInserter;
  /** Analyst SQL: one checked, read-only, bounded statement at a time per session. */
  analyst: AnalystSql;
  /** The analytics api's reads: statements it builds, read FINAL, results streamed (an export). */
  reader: AnalyticsReader;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'infra',
  'clickhouse',
  'migrations',
);

/** One way to get ClickHouse: the same SQL runs embedded and against a server. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const limits = options.analystLimits ?? DEFAULT_ANALYST_LIMITS;
  const store = options.url
    ? await openServer(options.url, limits, options.logger)
    : await openEmbedded(options.dataDir, limits, options.logger);
  if (options.migrate !== false) await migrate(store.client, MIGRATIONS_DIR, options.logger);
  options.logger.info({ event: 'store_opened', mode: store.mode }, `ClickHouse store ready (${store.mode})`);
  return store;
}

async function openEmbedded(dataDir: string, limits: AnalystLimits, logger: Logger): Promise<Store> {
  const path = join(dataDir, 'clickhouse');
  ensurePrivateDir(path);
  const log = clientLog(logger);
  const connection = createChdbConnection({ path });
  const client = createClient({ connection: asClientConnection(connection), log });
  // Connections of their own: on chDB a connection runs one statement at a
  // time and keeps the settings it was given, so analysts never wait behind
  // an insert, and their limits and readonly=1 never reach the sink's client.
  const control = createClient({ connection: chdbConnection(path), log });
  const sessions: AnalystSession[] = [];
  const connect = () => createClient({ connection: chdbConnection(path), log });
  for (let i = 0; i < limits.maxConcurrent; i++) {
    sessions.push(await openEmbeddedSession(connect, control, limits));
  }
  const analyst = createAnalystSql(sessions, limits, logger);
  const reader = await embeddedReader(path, limits);
  return {
    mode: 'embedded',
    client,
    insertTsv: chdbTsvInserter(connection),
    analyst,
    reader,
    close: async () => {
      await reader.close();
      await analyst.close();
      await control.close();
      await client.close();
    },
  };
}

/**
 * chdb types its connection against its own copy of @clickhouse/client-common;
 * the shapes are the same, so the cast only bridges the two declaration files.
 */
function chdbConnection(path: string): ClickHouseClientConfigOptions['connection'] {
  return asClientConnection(createChdbConnection({ path }));
}

function asClientConnection(connection: ChdbConnection): ClickHouseClientConfigOptions['connection'] {
  return connection as unknown as ClickHouseClientConfigOptions['connection'];
}

async function openServer(url: string, limits: AnalystLimits, logger: Logger): Promise<Store> {
  const log = clientLog(logger);
  const client = createClient({ url, request_timeout: 30_000, log });
  // The analysts' requests time out a little after the engine's own limit would stop them.
  const reader = createClient({
    url,
    request_timeout: (limits.maxExecutionSeconds + 10) * 1000,
    max_open_connections: limits.maxConcurrent,
    log,
  });
  // Analytics reads, exports among them: a long request time, as an export streams for as long as it takes.
  const analytics = createClient({
    url,
    request_timeout: 3_600_000,
    max_open_connections: limits.maxConcurrent,
    log,
  });
  const ping = await client.ping();
  if (!ping.success) {
    await Promise.all([client.close(), reader.close(), analytics.close()]);
    const reason = (ping as { error?: Error }).error?.message ?? 'no answer';
    throw new StoreError(
      'LT_STORE_UNREACHABLE',
      `ClickHouse at ${redact(url)} is unreachable: ${reason}`,
      true,
    );
  }
  const sessions = Array.from({ length: limits.maxConcurrent }, () => serverSession(reader, client, limits));
  return {
    mode: 'server',
    client,
    insertTsv: serverTsvInserter(client),
    analyst: createAnalystSql(sessions, limits, logger),
    reader: serverReader(analytics, limits),
    close: async () => {
      await Promise.all([client.close(), reader.close(), analytics.close()]);
    },
  };
}

/** Keeps passwords out of error messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid url)';
  }
}
