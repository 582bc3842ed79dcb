import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Batch, InProcessBus } from '@linktrack/bus';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs, TOPICS } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { enrichedClick } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchToken, startSink } from './sink.js';

const logger = createLogger('silent');
const codecs = createCodecs();
let store: Store;

beforeAll(async () => {
  store = await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-sink-')), logger });
});
afterAll(async () => store?.close());

const click = (i: number, slug: string) => enrichedClick(i, slug);

async function count(slug: string, final = false): Promise<number> {
  const result = await store.client.query({
    query: `SELECT count() AS n FROM linktrack.clicks ${final ? 'FINAL' : ''} WHERE slug = {slug:String}`,
    query_params: { slug },
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: string }>())[0]?.n);
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sink on the embedded engine', () => {
  it('derives the same token from the same messages and a different one from different bytes', () => {
    const batch = (value: string): Batch => ({
      topic: 't',
      partition: 0,
      messages: [
        { key: null, value: Buffer.from(value), topic: 't', partition: 0, offset: '0', timestamp: 0 },
      ],
    });
    expect(batchToken(batch('a'))).toBe(batchToken(batch('a')));
    expect(batchToken(batch('a'))).not.toBe(batchToken(batch('b')));
  });

  it('drops a batch replayed with the same messages, and collapses a replay cut differently', async () => {
    const values = Array.from({ length: 100 }, (_, i) => codecs.enrichedClick.encode(click(i, 'replay')));
    const asBatch = (from: number, to: number): Batch => ({
      topic: TOPICS.clicksEnriched,
      partition: 0,
      messages: values.slice(from, to).map((value, k) => ({
        key: null,
        value,
        topic: TOPICS.clicksEnriched,
        partition: 0,
        offset: String(from + k),
        timestamp: 0,
      })),
    });
    // Drive the sink's handler directly through a bus whose messages we choose, as a replay would.
    const bus = new InProcessBus({ logger });
    const sink = await startSink({
      bus,
      insert: store.insertTsv,
      codecs,
      logger,
      metrics: createMetrics(),
      batchWaitMs: 0,
    });
    await bus.publish(TOPICS.clicksEnriched, asBatch(0, 100).messages);
    await bus.idle();
    expect(await count('replay')).toBe(100);
    await sink.stop();

    // The same 100 messages at the same offsets again, as after a crash before the commit.
    const again = new InProcessBus({ logger });
    const sink2 = await startSink({
      bus: again,
      insert: store.insertTsv,
      codecs,
      logger,
      metrics: createMetrics(),
      batchWaitMs: 0,
    });
    await again.publish(TOPICS.clicksEnriched, asBatch(0, 100).messages);
    await again.idle();
    expect(await count('replay')).toBe(100);

    // A replay cut at other offsets inserts duplicates, which FINAL (and later merges) collapse.
    await again.publish(TOPICS.clicksEnriched, asBatch(50, 100).messages);
    await again.idle();
    expect(await count('replay', true)).toBe(100);
    await sink2.stop();
    await again.close();
    await bus.close();
  });

  it('keeps retrying without committing while ClickHouse refuses inserts, then lands every row once', async () => {
    const bus = new InProcessBus({ logger });
    const metrics = createMetrics();
    const sink = await startSink({ bus, insert: store.insertTsv, codecs, logger, metrics, batchWaitMs: 0 });
    await store.client.command({ query: 'DETACH TABLE linktrack.clicks' });
    const values = Array.from({ length: 300 }, (_, i) =>
      codecs.enrichedClick.encode(click(1_000 + i, 'outage')),
    );
    await bus.publish(
      TOPICS.clicksEnriched,
      values.map((value) => ({ key: null, value })),
    );
    await until(async () => ((await metrics.sinkInsertFailures.get()).values[0]?.value ?? 0) >= 3, 10_000);
    await store.client.command({ query: 'ATTACH TABLE linktrack.clicks' });
    await bus.idle(20_000);
    expect(await count('outage')).toBe(300);
    await sink.stop();
    await bus.close();
  });

  it('dead-letters a message it cannot decode through the dlq topic, and stores the rest', async () => {
    const bus = new InProcessBus({ logger });
    const sink = await startSink({
      bus,
      insert: store.insertTsv,
      codecs,
      logger,
      metrics: createMetrics(),
      batchWaitMs: 0,
    });
    const poison = Buffer.from(`not avro ${Date.now()}`);
    await bus.publish(TOPICS.clicksEnriched, [
      { key: null, value: codecs.enrichedClick.encode(click(5_000, 'mixed')) },
      { key: Buffer.from('k'), value: poison },
    ]);
    const onTopic: Buffer[] = [];
    await bus.subscribe(
      TOPICS.dlq,
      'test-reader',
      async (b) => void onTopic.push(...b.messages.map((m) => m.value)),
    );
    await bus.idle();
    expect(await count('mixed')).toBe(1);
    expect(onTopic.map((v) => codecs.deadLetter.decode(v).payload)).toEqual([poison]);
    const rows = await (
      await store.client.query({
        query:
          'SELECT stage, reason, source_topic FROM linktrack.dead_letters WHERE payload_base64 = {p:String}',
        query_params: { p: poison.toString('base64') },
        format: 'JSONEachRow',
      })
    ).json();
    expect(rows).toEqual([
      { stage: 'sink.decode', reason: 'undecodable', source_topic: TOPICS.clicksEnriched },
    ]);
    await sink.stop();
    await bus.close();
  });
});
