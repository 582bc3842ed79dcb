import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kafkaBrokers, kafkaIt } from '../support/kafka.js';
import { type Cluster, click, createLink, startCluster, waitForClicks } from '../support/pipeline.js';
import { startLinktrack } from '../support/processes.js';
import { mapLimit } from '../support/wait.js';

describe('enricher killed mid-stream', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    if (kafkaBrokers()) cluster = await startCluster('kill');
  });
  afterAll(async () => {
    await cluster?.stopAll();
  });

  kafkaIt('SIGKILL then restart: every click stored exactly once', async () => {
    const slug = await createLink(cluster.store.apiUrl as string, 'https://example.com/kill');
    const redirect = cluster.redirect.redirectUrl as string;
    const send = (from: number, to: number) =>
      mapLimit(
        Array.from({ length: to - from }, (_, i) => from + i),
        25,
        (n) => click(redirect, slug, n),
      );

    const first = await send(0, 1_500);
    // Kill while the enricher is busy with what was just sent: no graceful shutdown, no commit.
    await cluster.enrichers[0]?.kill();
    const second = await send(1_500, 3_000);
    cluster.enrichers = [await startLinktrack('kill-enricher-2', { services: 'enricher', env: cluster.env })];

    expect([...first, ...second].filter((r) => r.status !== 302)).toEqual([]);
    const counts = await waitForClicks(cluster.sql, slug, 3_000);
    console.log(`after SIGKILL: ${JSON.stringify(counts)}`);
    expect(counts.distinct).toBe(3_000);
    expect(counts.final).toBe(3_000);
    const [dupes] = await cluster.sql<{ n: string }>(
      `SELECT count() AS n FROM (SELECT click_id FROM linktrack.clicks FINAL
        WHERE slug = {slug:String} GROUP BY click_id HAVING count() > 1)`,
      { slug },
    );
    expect(Number(dupes?.n)).toBe(0);
  });
});
