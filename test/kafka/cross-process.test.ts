import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kafkaBrokers, kafkaIt } from '../support/kafka.js';
import { type Cluster, click, createLink, startCluster, waitForClicks } from '../support/pipeline.js';
import { mapLimit, waitFor } from '../support/wait.js';

describe('separate processes on Kafka', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    if (kafkaBrokers()) cluster = await startCluster('e2e');
  });
  afterAll(async () => {
    await cluster?.stopAll();
  });

  kafkaIt('a new link answers within 1 s and 5,000 clicks give exactly 5,000 rows', async () => {
    const slug = await createLink(
      cluster.store.apiUrl as string,
      'https://example.com/spring?utm_source=news',
    );
    const created = performance.now();
    const first = await waitFor(
      () => click(cluster.redirect.redirectUrl as string, slug, 0),
      (r) => r.status === 302,
      1_000,
      20,
    );
    const visibleAfterMs = performance.now() - created;
    expect(first.status).toBe(302);
    expect(visibleAfterMs).toBeLessThan(1_000);

    const results = await mapLimit(
      Array.from({ length: 4_999 }, (_, i) => i + 1),
      50,
      (n) => click(cluster.redirect.redirectUrl as string, slug, n),
    );
    expect(results.filter((r) => r.status !== 302)).toEqual([]);

    const counts = await waitForClicks(cluster.sql, slug, 5_000);
    expect(counts).toEqual({ rows: 5_000, distinct: 5_000, final: 5_000 });

    const exits = await Promise.all([cluster.redirect.stop(), cluster.enrichers[0]?.stop()]);
    expect(exits).toEqual([0, 0]);
  });
});
