import { randomUUID } from 'node:crypto';
import { TOPICS } from '@linktrack/bus';
import {
  announceWriterSchemas,
  type ClickEvent,
  clickEventV1,
  createCodec,
  followWriterSchemas,
} from '@linktrack/schema';
import { describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { CHROME_UA, click, clusterForSuite, createLink, waitForClicks } from '../support/pipeline.js';
import { mapLimit, waitFor } from '../support/wait.js';

/** ClickEvent v2: v1 plus one optional field, the way the schema is allowed to evolve. */
const clickEventV2 = {
  ...clickEventV1,
  fields: [...clickEventV1.fields, { name: 'sec_gpc', type: ['null', 'string'], default: null }],
};
type ClickEventV2 = ClickEvent & { sec_gpc: string | null };

describe('schema evolution on Kafka', () => {
  const suite = clusterForSuite('schema');

  kafkaIt('the running v1 enricher reads clicks a v2 writer produced', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/v2');
    const v2 = createCodec<ClickEventV2>(clickEventV2);
    await announceWriterSchemas(suite.bus, [v2]);
    const events: ClickEventV2[] = Array.from({ length: 100 }, (_, i) => ({
      click_id: randomUUID(),
      ts: Date.now(),
      slug,
      method: 'GET',
      ip: `81.2.69.${i}`,
      user_agent: CHROME_UA,
      referer: '',
      accept_language: 'en',
      query: `n=${i}`,
      headers: {},
      link_found: true,
      destination: 'https://example.com/v2',
      sec_gpc: '1',
    }));
    await suite.bus.publish(
      TOPICS.clicksRaw,
      events.map((e) => ({ key: Buffer.from('81.2.69.0/24'), value: v2.encode(e) })),
    );
    const counts = await waitForClicks(suite.cluster.sql, slug, 100, 30_000);
    expect(counts).toEqual({ rows: 100, distinct: 100, final: 100 });
    const [dead] = await suite.cluster.sql<{ n: string }>(
      "SELECT count() AS n FROM linktrack.dead_letters WHERE source_topic = 'clicks.raw'",
    );
    expect(Number(dead?.n)).toBe(0);
  });

  kafkaIt('a v2 reader reads the v1 clicks the running redirect produced', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/v1');
    const results = await mapLimit(
      Array.from({ length: 50 }, (_, i) => i),
      10,
      (n) => click(suite.cluster.redirect.redirectUrl as string, slug, n),
    );
    expect(results.every((r) => r.status === 302)).toBe(true);

    // Built with v2 only: it learns v1 from the schemas topic, as a newer service would.
    const v2 = createCodec<ClickEventV2>(clickEventV2);
    expect(v2.knowsWriter(createCodec(clickEventV1).encode(v1Sample(slug)))).toBe(false);
    const schemas = await followWriterSchemas(suite.bus, [v2], `schema-test-${randomUUID()}`, (err) => {
      throw err;
    });
    const read: ClickEventV2[] = [];
    const sub = await suite.bus.subscribe(TOPICS.clicksRaw, `v2-reader-${randomUUID()}`, async (batch) => {
      if (batch.messages.some((m) => !v2.knowsWriter(m.value))) await schemas.catchUp();
      for (const m of batch.messages) {
        read.push(v2.decode(m.value));
      }
    });
    const mine = await waitFor(
      async () => read.filter((e) => e.slug === slug),
      (events) => events.length >= 50,
      30_000,
    );
    await sub.close();
    await schemas.close();
    expect(mine).toHaveLength(50);
    expect(mine.every((e) => e.sec_gpc === null && e.link_found && e.method === 'GET')).toBe(true);
  });
});

function v1Sample(slug: string): ClickEvent {
  return {
    click_id: randomUUID(),
    ts: Date.now(),
    slug,
    method: 'GET',
    ip: '81.2.69.1',
    user_agent: CHROME_UA,
    referer: '',
    accept_language: '',
    query: '',
    headers: {},
    link_found: true,
    destination: '',
  };
}
