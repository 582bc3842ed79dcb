import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@linktrack/telemetry';
import { StoreError } from './errors.js';

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Reads NNN_name.sql files in version order; anything else in the folder is an error. */
export function readMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const match = FILE_NAME.exec(file);
    if (!match)
      throw new StoreError('LT_STORE_BAD_MIGRATION', `${file}: name must look like 001_name.sql`, false);
    const text = readFileSync(join(dir, file), 'utf8');
    return {
      version: Number(match[1]),
      name: match[2] as string,
      statements: splitStatements(text),
      checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
    };
  });
}

/** Splits on semicolons that end a line; comment lines are dropped first. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Applies every migration not yet recorded, in order. Migrations are written
 * to be idempotent, so two processes racing at start both succeed. An applied
 * migration whose file changed since stops everything: what the database holds
 * is no longer what the files say, and applying more on top would hide it.
 */
export async function migrate(client: ClickHouseClient, dir: string, logger: Logger): Promise<number[]> {
  await client.command({ query: 'CREATE DATABASE IF NOT EXISTS linktrack' });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS linktrack.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const done = await appliedChecksums(client);
  const migrations = readMigrations(dir);
  for (const m of migrations) {
    const recorded = done.get(m.version);
    if (recorded !== undefined && recorded !== m.checksum) {
      throw new StoreError(
        'LT_STORE_MIGRATION_CHANGED',
        `migration ${fileName(m)} changed after it was applied (checksum ${m.checksum}, applied as ${recorded}); restore it and put the change in a new migration`,
        false,
      );
    }
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) {
      try {
        await client.command({ query: statement });
      } catch (err) {
        const message = `migration ${m.version}_${m.name} failed: ${(err as Error).message}`;
        throw new StoreError('LT_STORE_MIGRATION_FAILED', message, false, { cause: err });
      }
    }
    await client.insert({
      table: 'linktrack.schema_migrations',
      values: [{ version: m.version, name: m.name, checksum: m.checksum }],
      format: 'JSONEachRow',
    });
    logger.info({ event: 'migration_applied', version: m.version, name: m.name }, 'migration applied');
    applied.push(m.version);
  }
  return applied;
}

/** The checksum each applied version was recorded with (the latest, should a version be recorded twice). */
async function appliedChecksums(client: ClickHouseClient): Promise<Map<number, string>> {
  const result = await client.query({
    query: `SELECT version, argMax(checksum, applied_at) AS checksum
      FROM linktrack.schema_migrations GROUP BY version`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: number; checksum: string }>();
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

function fileName(m: Migration): string {
  return `${String(m.version).padStart(3, '0')}_${m.name}.sql`;
}
