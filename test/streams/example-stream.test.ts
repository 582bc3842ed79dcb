import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@linktrack/bus';
import { startSink } from '@linktrack/sink';
import { MIGRATIONS_DIR, migrate, openStore, type Store } from '@linktrack/store';
import {
  codecFor,
  createCodecs,
  defineStream,
  type RecordOfStream,
  timestamp,
  topicTable,
  utmFields,
  uuid,
} from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { clickId } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDrift } from '../support/table-columns.js';

/**
 * A stream added the way conversions will be, touching only: its contract
 * (here, in the test), a migration for its table, and the code that produces
 * and consumes it. The bus, the codecs, the sink and the README table need no
 * change. Its record composes the click's UTM field group instead of copying it.
 */
const conversionV1 = {
  type: 'record',
  name: 'ExampleConversion',
  namespace: 'io.linktrack.example',
  fields: [
    { name: 'conversion_id', type: uuid },
    { name: 'ts', type: timestamp },
    { name: 'click_id', type: uuid, doc: 'the click the conversion is attributed to' },
    { name: 'value_cents', type: 'long' },
    ...utmFields,
  ],
} as const;

const conversions = defineStream({
  topic: 'example.conversions',
  key: 'click id',
  carries: 'from a shop, one per purchase',
  compacted: false,
  schema: conversionV1,
  history: [],
  readers: [{ group: 'sink-example-conversions' }],
  table: {
    name: 'linktrack.example_conversions',
    group: 'sink-example-conversions',
    toRow: (c) => ({ ...c }),
    filledByClickHouse: ['inserted_at'],
  },
});
type Conversion = RecordOfStream<typeof conversions>;

const MIGRATION = `CREATE TABLE IF NOT EXISTS linktrack.example_conversions
(
    conversion_id UUID,
    ts            DateTime64(3, 'UTC'),
    click_id      UUID,
    value_cents   Int64,
    utm_source    LowCardinality(String),
    utm_medium    LowCardinality(String),
    utm_campaign  LowCardinality(String),
    utm_term      String,
    utm_content   String,
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (ts, conversion_id);
`;

const logger = createLogger('silent');
let store: Store;
beforeAll(async () => {
  const migrations = mkdtempSync(join(tmpdir(), 'lt-example-migrations-'));
  cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
  writeFileSync(join(migrations, '900_example_conversions.sql'), MIGRATION);
  store = await openStore({
    url: null,
    dataDir: mkdtempSync(join(tmpdir(), 'lt-example-')),
    logger,
    migrate: false,
  });
  await migrate(store.client, migrations, logger);
});
afterAll(async () => store?.close());

describe('a stream declared outside the contract module', () => {
  it('gets a codec, a README row, and a table that matches its schema', async () => {
    const codec = codecFor(conversions);
    const conversion: Conversion = {
      conversion_id: clickId(900),
      ts: Date.UTC(2026, 10, 24),
      click_id: clickId(1),
      value_cents: 4_990,
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      utm_term: '',
      utm_content: '',
    };
    expect(codec.decode(codec.encode(conversion))).toEqual(conversion);
    expect(topicTable('linktrack.', [conversions])).toContain(
      '| `linktrack.example.conversions` | click id | `ExampleConversion` from a shop, one per purchase | `sink-example-conversions` | `linktrack.example_conversions` |',
    );
    expect(await tableDrift(store.client, conversions)).toEqual({
      onlyInAvro: [],
      onlyInTable: [],
      typeMismatches: [],
    });
  });

  it('is produced on the bus and stored by the unchanged sink', async () => {
    const bus = new InProcessBus({ logger });
    const codec = codecFor(conversions);
    const sink = await startSink({
      bus,
      insert: store.insertTsv,
      codecs: { ...createCodecs(), exampleConversion: codec },
      streams: [conversions],
      logger,
      metrics: createMetrics(),
      batchWaitMs: 0,
    });
    // The producer: whatever code reports conversions publishes them, keyed as the contract says.
    const sent = Array.from({ length: 25 }, (_, i) => ({
      conversion_id: clickId(1_000 + i),
      ts: Date.UTC(2026, 10, 24, 12, 0, i),
      click_id: clickId(i),
      value_cents: 100 * i,
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: i % 2 ? 'spring' : 'summer',
      utm_term: '',
      utm_content: '',
    }));
    await bus.publish(
      conversions.topic,
      sent.map((c) => ({ key: Buffer.from(c.click_id), value: codec.encode(c) })),
    );
    await bus.idle();
    const rows = await (
      await store.client.query({
        query: `SELECT utm_campaign, toString(count()) AS n, toString(sum(value_cents)) AS cents
          FROM linktrack.example_conversions GROUP BY utm_campaign ORDER BY utm_campaign`,
        format: 'JSONEachRow',
      })
    ).json();
    expect(rows).toEqual([
      { utm_campaign: 'spring', n: '12', cents: '14400' },
      { utm_campaign: 'summer', n: '13', cents: '15600' },
    ]);
    await sink.stop();
    await bus.close();
  });
});
