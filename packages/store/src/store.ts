import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClickHouseClient, type ClickHouseClientConfigOptions, createClient } from '@clickhouse/client';
import type { Logger } from '@linktrack/telemetry';
import { createChdbConnection } from 'chdb/connection';
import { clientLog } from './client-log.js';
import { StoreError } from './errors.js';
import { migrate } from './migrations.js';

export interface StoreOptions {
  /** A ClickHouse server; null runs the engine in-process (chDB) under dataDir. */
  url: string | null;
  dataDir: string;
  logger: Logger;
  /** Apply migrations at open (default true). */
  migrate?: boolean;
}

export interface Store {
  mode: 'embedded' | 'server';
  /** Read/write client for the sink and migrations. */
  client: ClickHouseClient;
  /** Read-only client for analyst SQL; its settings never reach `client`. */
  reader: ClickHouseClient;
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

// readonly=1 is given on a connection of its own: on chDB, per-query settings
// persist for the connection, so they must never touch `client`. Settings apply
// in order and readonly=1 forbids changing any after it, so it comes last.
// 64-bit integers are quoted as the server does by default, so analysts get the
// same JSON from the embedded engine and from a server.
const READONLY = { output_format_json_quote_64bit_integers: 1, readonly: '1' } as const;

/** One way to get ClickHouse: the same SQL runs embedded and against a server. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.url
    ? await openServer(options.url, options.logger)
    : openEmbedded(options.dataDir, options.logger);
  if (options.migrate !== false) await migrate(store.client, MIGRATIONS_DIR, options.logger);
  options.logger.info({ event: 'store_opened', mode: store.mode }, `ClickHouse store ready (${store.mode})`);
  return store;
}

function openEmbedded(dataDir: string, logger: Logger): Store {
  const path = join(dataDir, 'clickhouse');
  mkdirSync(path, { recursive: true });
  const log = clientLog(logger);
  const client = createClient({ connection: chdbConnection(path), log });
  const reader = createClient({ connection: chdbConnection(path), clickhouse_settings: READONLY, log });
  return {
    mode: 'embedded',
    client,
    reader,
    close: async () => {
      await reader.close();
      await client.close();
    },
  };
}

/**
 * chdb types its connection against its own copy of @clickhouse/client-common;
 * the shapes are the same, so the cast only bridges the two declaration files.
 */
function chdbConnection(path: string): ClickHouseClientConfigOptions['connection'] {
  return createChdbConnection({ path }) as unknown as ClickHouseClientConfigOptions['connection'];
}

async function openServer(url: string, logger: Logger): Promise<Store> {
  const log = clientLog(logger);
  const client = createClient({ url, request_timeout: 30_000, log });
  const reader = createClient({ url, request_timeout: 30_000, clickhouse_settings: READONLY, log });
  const ping = await client.ping();
  if (!ping.success) {
    await Promise.all([client.close(), reader.close()]);
    const reason = (ping as { error?: Error }).error?.message ?? 'no answer';
    throw new StoreError(
      'LT_STORE_UNREACHABLE',
      `ClickHouse at ${redact(url)} is unreachable: ${reason}`,
      true,
    );
  }
  return {
    mode: 'server',
    client,
    reader,
    close: async () => {
      await Promise.all([client.close(), reader.close()]);
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
