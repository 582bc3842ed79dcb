import { randomUUID } from 'node:crypto';
import {
  announceWriterSchemas,
  clickEventV1,
  clickEventV2,
  followWriterSchemas,
  type RecordOf,
  TOPICS,
} from '@linktrack/streams';
import { clickEvent, writerOf } from '@linktrack/test-support';
import { describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { click, clusterForSuite, createLink, waitForClicks } from '../support/pipeline.js';
import { mapLimit, waitFor } from '../support/wait.js';

/** The next ClickEvent: the current one plus one optional field, the way a schema may evolve. */
const clickEventNext = {
  ...clickEventV2,
  fields: [...clickEventV2.fields, { name: 'sec_gpc', type: ['null', 'string'], default: null }],
} as const;
type ClickEventNext = RecordOf<typeof clickEventNext>;

describe('schema evolution on Kafka', () => {
  // This suite reads the raw topic after the enricher did: keep what the enricher read (by default
  // it deletes raw clicks, and their full addresses, once committed).
  const suite = clusterForSuite('schema', undefined, { LINKTRACK_STORE_RAW_IP: 'true' });

  kafkaIt('the running enricher reads clicks a newer writer produced', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/next');
    const next = writerOf(clickEventNext);
    await announceWriterSchemas(suite.bus, [next]);
    const events: ClickEventNext[] = Array.from({ length: 100 }, (_, i) => ({
      ...clickEvent({ click_id: randomUUID(), ts: Date.now(), slug, ip: `81.2.69.${i}`, query: `n=${i}` }),
      sec_gpc: '1',
    }));
    await suite.bus.publish(
      TOPICS.clicksRaw,
      events.map((e) => ({ key: Buffer.from('81.2.69.0/24'), value: next.encode(e) })),
    );
    const counts = await waitForClicks(suite.cluster.sql, slug, 100, 30_000);
    expect(counts).toEqual({ rows: 100, distinct: 100, final: 100 });
    const [dead] = await suite.cluster.sql<{ n: string }>(
      "SELECT count() AS n FROM linktrack.dead_letters WHERE source_topic = 'clicks.raw'",
    );
    expect(Number(dead?.n)).toBe(0);
  });

  kafkaIt('the running enricher reads clicks from a redirect that predates visit_type', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/v1');
    const v1 = writerOf(clickEventV1);
    const events = Array.from({ length: 20 }, (_, i) => {
      const { visit_type: _none, ...old } = clickEvent({ click_id: randomUUID(), ts: Date.now(), slug });
      return { ...old, link_found: i % 2 === 0, destination: i % 2 === 0 ? old.destination : '' };
    });
    await suite.bus.publish(
      TOPICS.clicksRaw,
      events.map((e) => ({ key: Buffer.from('81.2.69.0/24'), value: v1.encode(e) })),
    );
    await waitForClicks(suite.cluster.sql, slug, 20, 30_000);
    const rows = await suite.cluster.sql<{ visit_type: string; link_found: number; n: string }>(
      `SELECT visit_type, link_found, count() AS n FROM linktrack.clicks WHERE slug = {slug:String}
        GROUP BY visit_type, link_found ORDER BY visit_type`,
      { slug },
    );
    expect(rows).toEqual([
      { visit_type: 'redirect', link_found: 1, n: '10' },
      { visit_type: 'unknown_slug', link_found: 0, n: '10' },
    ]);
  });

  kafkaIt('a newer reader reads the clicks the running redirect produced', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/current');
    const results = await mapLimit(
      Array.from({ length: 50 }, (_, i) => i),
      10,
      (n) => click(suite.cluster.redirect.redirectUrl as string, slug, n),
    );
    expect(results.every((r) => r.status === 302)).toBe(true);

    // Built with the next version only: it learns the current one from the schemas topic, as a newer service would.
    const next = writerOf(clickEventNext);
    expect(next.knowsWriter(writerOf(clickEventV2).encode(clickEvent({ slug })))).toBe(false);
    const schemas = await followWriterSchemas(suite.bus, [next], `schema-test-${randomUUID()}`, (err) => {
      throw err;
    });
    const read: ClickEventNext[] = [];
    const sub = await suite.bus.subscribe(TOPICS.clicksRaw, `next-reader-${randomUUID()}`, async (batch) => {
      if (batch.messages.some((m) => !next.knowsWriter(m.value))) await schemas.catchUp();
      for (const m of batch.messages) read.push(next.decode(m.value));
    });
    const mine = await waitFor(
      async () => read.filter((e) => e.slug === slug),
      (events) => events.length >= 50,
      30_000,
    );
    await sub.close();
    await schemas.close();
    expect(mine).toHaveLength(50);
    expect(mine.every((e) => e.sec_gpc === null && e.visit_type === 'redirect')).toBe(true);
  });
});
