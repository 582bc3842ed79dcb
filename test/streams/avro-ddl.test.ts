import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@linktrack/store';
import { extraColumns, type RowMapping, STREAMS, storedStreams } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDrift } from '../support/table-columns.js';

/**
 * Every stream's Avro fields against its table's columns, on the real engine
 * after every migration: a field added to a schema without a migration, or a
 * column added without a field, fails here.
 */
let store: Store;
beforeAll(async () => {
  store = await openStore({
    url: null,
    dataDir: mkdtempSync(join(tmpdir(), 'lt-ddl-')),
    logger: createLogger('silent'),
  });
});
afterAll(async () => store?.close());

const stored = storedStreams().map((s) => [s.table?.name, s] as const);

describe('Avro schemas and ClickHouse tables agree', () => {
  it('stores every stream that has a table', () => {
    expect(stored.map(([table]) => table)).toEqual([
      'linktrack.clicks',
      'linktrack.links',
      'linktrack.click_confirmations',
      'linktrack.conversions',
      'linktrack.dead_letters',
    ]);
    expect(STREAMS.clicksRaw.table).toBeNull();
  });

  it.each(stored)(
    '%s has a column for every field of its stream, of a type that holds it, and no other',
    async (_table, stream) => {
      expect(await tableDrift(store.client, stream)).toEqual({
        onlyInAvro: [],
        onlyInTable: [],
        typeMismatches: [],
      });
    },
  );

  it.each(stored)(
    'the row mapper of %s writes every field under its column, its extra derived columns, and nothing else',
    (_table, stream) => {
      const sample = avro.Type.forSchema(stream.schema as unknown as avro.Schema).random();
      const row = stream.table?.toRow(sample as never) ?? {};
      const renamed = stream.table?.renamed ?? {};
      expect(Object.keys(row).sort()).toEqual(
        [
          ...stream.schema.fields.map((f) => renamed[f.name] ?? f.name),
          ...extraColumns(stream.schema, stream.table as RowMapping<unknown>),
        ].sort(),
      );
    },
  );
});
