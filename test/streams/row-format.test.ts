import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@linktrack/store';
import {
  STREAMS,
  type StreamContract,
  storedStreams,
  type TableContract,
  tsvRowWriter,
} from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { clickId, enrichedClick, linkEvent } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The sink's TabSeparated rows against the row objects (`toRow`) sent as
 * JSONEachRow, on the real engine: the same records through both paths into
 * twin tables must read back identically, for every stored stream, with
 * strings that need escaping in either format.
 */
const TRICKY = ['tab\there', 'line\nbreak', 'back\\slash', "quote's", 'cr\rlf', 'nul\0byte', 'ünï©ødé ✓', ''];

const SAMPLES: Record<string, unknown[]> = {
  [STREAMS.clicksEnriched.topic]: TRICKY.map((s, i) => ({
    ...enrichedClick(i, `slug-${s}`),
    user_agent: s,
    query: `q=${s}`,
    referrer: s,
    bot_signals: i % 2 ? [] : [s, 'ua_bot', "it's"],
    is_bot: i % 2 === 0,
    // An enricher that predates visit_type: the derived columns fill it from link_found.
    visit_type: i === 3 ? null : 'redirect',
    link_found: i !== 3,
    classifier_version: i,
  })),
  [STREAMS.links.topic]: TRICKY.map((s, i) =>
    linkEvent(`link-${i}`, `https://a.example/${encodeURIComponent(s)}`, {
      utm_term: s,
      tags: [s, 'x'],
      exhausted_at: i % 2 ? null : Date.UTC(2026, 0, 1, 0, 0, 0, i),
      expires_at: i % 3 ? null : -1_000 + i,
      honeypot: i % 2 === 1,
      created_at: Date.UTC(2026, 0, 1) + i,
      updated_at: Date.UTC(2026, 0, 2) + i,
    }),
  ),
  [STREAMS.confirmations.topic]: TRICKY.map((s, i) => ({
    click_id: clickId(i),
    ts: Date.UTC(2026, 0, 1, 0, 0, 0, 999 - i),
    source: s,
  })),
  [STREAMS.conversions.topic]: TRICKY.map((s, i) => ({
    conversion_id: `order-${s}`,
    click_id: i === 0 ? '00000000-0000-0000-0000-000000000000' : clickId(i),
    touches: i === 0 ? [] : [clickId(100 + i), clickId(i)],
    event: `event_${i}`,
    value: ['0', '19.9900', '99999999999999.9999', '0.0001'][i % 4] as string,
    currency: i % 4 === 0 ? '' : 'EUR',
    source: i % 2 ? 'server' : 'browser',
    ts: Date.UTC(2026, 0, 1, 0, 0, 0, i),
    received_at: Date.UTC(2026, 0, 1, 0, 0, 1, i),
  })),
  // Recent: the table's TTL drops dead letters older than 90 days at insert.
  [STREAMS.dlq.topic]: TRICKY.map((s, i) => ({
    ts: Date.now() - 60_000 + i,
    stage: `sink.${i}`,
    reason: 'undecodable',
    error: s,
    source_topic: 'clicks.enriched',
    source_partition: i,
    source_offset: String(i * 7),
    payload: Buffer.from(s),
  })),
};

async function rowsOf(store: Store, table: string, columns: readonly string[]): Promise<unknown[]> {
  const list = columns.map((c) => `\`${c}\``).join(', ');
  const result = await store.client.query({
    query: `SELECT ${list} FROM ${table} ORDER BY ${list}`,
    format: 'JSONEachRow',
  });
  return result.json();
}

/** The embedded engine always; a ClickHouse server too when LINKTRACK_TEST_CLICKHOUSE_URL names one (HTTP insert path). */
const ENGINES = [
  { engine: 'embedded', url: null as string | null },
  ...(process.env.LINKTRACK_TEST_CLICKHOUSE_URL
    ? [{ engine: 'server', url: process.env.LINKTRACK_TEST_CLICKHOUSE_URL }]
    : []),
];

describe.each(ENGINES)('TabSeparated rows from the stream contracts, $engine engine', ({ url }) => {
  let store: Store;
  // A run of its own on a shared server: twin tables and dedup tokens never meet an earlier run's.
  const run = randomUUID().slice(0, 8);
  beforeAll(async () => {
    store = await openStore({
      url,
      dataDir: mkdtempSync(join(tmpdir(), 'lt-rows-')),
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => store?.close());

  it.each(storedStreams().map((s) => [s.table?.name, s] as const))(
    '%s reads back the same through the raw TSV insert as through row objects',
    async (table, stream: StreamContract) => {
      const records = SAMPLES[stream.topic] as unknown[];
      expect(records.length).toBeGreaterThan(0);
      const contract = stream.table as TableContract<unknown>;
      // Twin tables of the run's own, so a server's earlier rows never count.
      const twin = `${table}_json_${run}`;
      const viaRaw = `${table}_tsv_${run}`;
      await store.client.command({ query: `CREATE TABLE ${twin} AS ${table}` });
      await store.client.command({ query: `CREATE TABLE ${viaRaw} AS ${table}` });
      await store.client.insert({
        table: twin,
        values: records.map((r) => contract.toRow(r)),
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: `${twin}-json` },
      });
      const writer = tsvRowWriter<unknown>(stream.schema, contract);
      await store.insertTsv({
        table: viaRaw,
        columns: writer.columns,
        body: Buffer.from(`${records.map((r) => writer.line(r)).join('\n')}\n`),
        token: `${table}-tsv-${run}`,
      });
      const viaTsv = await rowsOf(store, viaRaw, writer.columns);
      expect(viaTsv).toHaveLength(records.length);
      expect(viaTsv).toEqual(await rowsOf(store, twin, writer.columns));
    },
  );

  it('drops a batch inserted again with the same token, and keeps one with another', async () => {
    const writer = tsvRowWriter(
      STREAMS.clicksEnriched.schema,
      STREAMS.clicksEnriched.table as NonNullable<typeof STREAMS.clicksEnriched.table>,
    );
    const body = Buffer.from(
      `${Array.from({ length: 50 }, (_, i) => writer.line(enrichedClick(10_000 + i, `dedup-${run}`))).join('\n')}\n`,
    );
    const insert = (token: string) =>
      store.insertTsv({ table: 'linktrack.clicks', columns: writer.columns, body, token: `${token}-${run}` });
    await insert('batch-a');
    await insert('batch-a');
    const count = async () => {
      const result = await store.client.query({
        query: `SELECT count() AS n FROM linktrack.clicks WHERE slug = 'dedup-${run}'`,
        format: 'JSONEachRow',
      });
      return Number((await result.json<{ n: string }>())[0]?.n);
    };
    expect(await count()).toBe(50);
    await insert('batch-b');
    expect(await count()).toBe(100);
  });
});
