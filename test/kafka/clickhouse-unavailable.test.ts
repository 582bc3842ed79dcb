import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBus } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { startSink } from '@linktrack/sink';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs, GROUPS, TOPIC_SPECS, TOPICS } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { enrichedClick } from '@linktrack/test-support';
import { afterAll, describe, expect, inject } from 'vitest';
import { kafkaIt, uniquePrefix } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const logger = createLogger('silent');
const codecs = createCodecs();

const enriched = (i: number, slug: string) => enrichedClick(i, slug, Date.now());

/**
 * The sink runs in this process so that the test can take its ClickHouse table
 * away: inserts fail for 10 s (the table is detached, which the embedded engine
 * and a server both answer with an error), then it comes back.
 */
describe('ClickHouse unavailable to the sink', () => {
  let store: Store | undefined;
  let bus: KafkaBus | undefined;
  afterAll(async () => {
    await bus?.close();
    await store?.close();
  });

  kafkaIt('retries with backoff, commits nothing meanwhile, then every row lands once', async () => {
    const url = inject('clickhouseUrl');
    store = await openStore({ url, dataDir: mkdtempSync(join(tmpdir(), 'lt-chdown-')), logger });
    const config = loadConfig({
      LINKTRACK_KAFKA_BROKERS: inject('kafkaBrokers') as string,
      LINKTRACK_KAFKA_TOPIC_PREFIX: uniquePrefix('chdown'),
      LINKTRACK_KAFKA_PARTITIONS: '4',
    });
    const metrics = createMetrics();
    bus = new KafkaBus({
      config: config.kafka as NonNullable<typeof config.kafka>,
      logger,
      metrics,
      topics: TOPIC_SPECS,
    });
    await bus.connect();
    const sink = await startSink({ bus, insert: store.insertTsv, codecs, logger, metrics, batchWaitMs: 200 });
    const slug = `chdown-${Date.now()}`;
    const count = async () => {
      const r = await store?.client.query({
        query: 'SELECT count() AS n FROM linktrack.clicks WHERE slug = {slug:String}',
        query_params: { slug },
        format: 'JSONEachRow',
      });
      return Number((await r?.json<{ n: string }>())?.[0]?.n);
    };

    await store.client.command({ query: 'DETACH TABLE linktrack.clicks' });
    const downAt = Date.now();
    for (let from = 0; from < 2_000; from += 500) {
      const messages = Array.from({ length: 500 }, (_, i) => enriched(from + i, slug));
      await bus.publish(
        TOPICS.clicksEnriched,
        messages.map((m) => ({ key: Buffer.from(m.ip_prefix), value: codecs.enrichedClick.encode(m) })),
      );
    }
    const sinkFailures = async () => {
      const { values } = await metrics.busHandlerFailures.get();
      return values.find((v) => v.labels.group === GROUPS.sinkClicks)?.value ?? 0;
    };
    // Failed, retried, failed again: the sink is backing off, not giving up or skipping.
    await waitFor(sinkFailures, (n) => n >= 2, 10_000, 100);
    const committedWhileDown = await bus.committedOffsets(TOPICS.clicksEnriched, GROUPS.sinkClicks);
    expect([...committedWhileDown.values()].every((o) => o === '-1')).toBe(true);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - downAt))));
    expect([...(await bus.committedOffsets(TOPICS.clicksEnriched, GROUPS.sinkClicks)).values()]).toEqual([
      ...committedWhileDown.values(),
    ]);

    await store.client.command({ query: 'ATTACH TABLE linktrack.clicks' });
    await waitFor(count, (n) => n >= 2_000, 60_000, 200);
    // Give a duplicate insert the chance to show before counting once more.
    const end = await bus.endOffsets(TOPICS.clicksEnriched);
    await waitFor(
      () => bus?.committedOffsets(TOPICS.clicksEnriched, GROUPS.sinkClicks) as Promise<Map<number, string>>,
      (c) => [...end].every(([p, o]) => c.get(p) === o),
      30_000,
      200,
    );
    expect(await count()).toBe(2_000);
    await sink.stop();
  });
});
