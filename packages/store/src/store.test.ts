import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@linktrack/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, openStore, readMigrations, type Store, splitStatements } from './index.js';

const logger = createLogger('silent');

describe('splitStatements', () => {
  it('splits on line-ending semicolons and drops comment lines', () => {
    const sql = "-- a comment; with a semicolon\nCREATE TABLE a (x String DEFAULT ';');\n\nSELECT 1;\n";
    expect(splitStatements(sql)).toEqual(["CREATE TABLE a (x String DEFAULT ';')", 'SELECT 1']);
  });
});

describe('embedded store (chDB)', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-store-')), logger });
  });
  afterAll(async () => store?.close());

  it('applies every migration once and records it', async () => {
    const rows = await (
      await store.client.query({
        query: 'SELECT version FROM linktrack.schema_migrations ORDER BY version',
        format: 'JSONEachRow',
      })
    ).json<{ version: number }>();
    expect(rows.map((r) => r.version)).toEqual(readMigrations(MIGRATIONS_DIR).map((m) => m.version));
    expect(await migrate(store.client, MIGRATIONS_DIR, logger)).toEqual([]);
  });

  it('refuses to start when an applied migration was changed afterwards, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    expect(await migrate(store.client, dir, logger)).toEqual([]);
    appendFileSync(join(dir, '002_links.sql'), '-- edited after it was applied\n');
    await expect(migrate(store.client, dir, logger)).rejects.toMatchObject({
      code: 'LT_STORE_MIGRATION_CHANGED',
      message: expect.stringMatching(
        /^migration 002_links\.sql changed after it was applied \(checksum \w+, applied as \w+\)/,
      ),
    });
  });

  it('creates linktrack.clicks with the documented columns', async () => {
    const rows = await (
      await store.client.query({
        query: "SELECT name, type FROM system.columns WHERE database = 'linktrack' AND table = 'clicks'",
        format: 'JSONEachRow',
      })
    ).json<{ name: string; type: string }>();
    const types = Object.fromEntries(rows.map((r) => [r.name, r.type]));
    expect(types.click_id).toBe('UUID');
    expect(types.ts).toBe("DateTime64(3, 'UTC')");
    expect(types.is_bot).toBe('UInt8');
    for (const column of [
      'slug',
      'destination',
      'method',
      'referrer',
      'referrer_domain',
      'region',
      'city',
      'ip_prefix',
    ]) {
      expect(types).toHaveProperty(column);
    }
  });

  it('serves read-only analyst SQL without making the main client read-only', async () => {
    await expect(
      store.analyst.run({ query: "INSERT INTO linktrack.dead_letters (stage) VALUES ('x')" }),
    ).rejects.toMatchObject({ code: 'LT_SQL_FORBIDDEN' });
    await store.client.insert({
      table: 'linktrack.dead_letters',
      values: [
        {
          ts: Date.now(),
          stage: 'test',
          reason: 'r',
          error: '',
          source_topic: 't',
          source_partition: 0,
          source_offset: '0',
          payload_base64: '',
        },
      ],
      format: 'JSONEachRow',
    });
    const { rows } = await store.analyst.run({ query: 'SELECT count() AS n FROM linktrack.dead_letters' });
    expect(rows).toEqual([{ n: '1' }]);
  });
});

describe('server store', () => {
  it('fails at open with a clear coded error when ClickHouse is unreachable', async () => {
    await expect(
      openStore({ url: 'http://default:secret@127.0.0.1:1', dataDir: tmpdir(), logger }),
    ).rejects.toMatchObject({
      code: 'LT_STORE_UNREACHABLE',
      message: expect.stringMatching(
        /^ClickHouse at http:\/\/default:\*\*\*@127\.0\.0\.1:1 is unreachable: .*ECONNREFUSED/,
      ),
    });
  });
});
