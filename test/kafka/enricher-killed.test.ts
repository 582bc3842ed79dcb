import { describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { clickRange, clusterForSuite, createLink, waitForClicks } from '../support/pipeline.js';
import { startLinktrack } from '../support/processes.js';

describe('enricher killed mid-stream', () => {
  const suite = clusterForSuite('kill');

  kafkaIt('SIGKILL then restart: every click stored exactly once', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/kill');
    const redirect = suite.cluster.redirect.redirectUrl as string;
    const send = (from: number, to: number) => clickRange(redirect, slug, from, to);

    const first = await send(0, 1_500);
    // Kill while the enricher is busy with what was just sent: no graceful shutdown, no commit.
    await suite.cluster.enrichers[0]?.kill();
    const second = await send(1_500, 3_000);
    suite.cluster.enrichers = [
      await startLinktrack('kill-enricher-2', { services: 'enricher', env: suite.cluster.env }),
    ];

    expect([...first, ...second].filter((r) => r.status !== 302)).toEqual([]);
    const counts = await waitForClicks(suite.cluster.sql, slug, 3_000);
    console.log(`after SIGKILL: ${JSON.stringify(counts)}`);
    expect(counts.distinct).toBe(3_000);
    expect(counts.final).toBe(3_000);
    const [dupes] = await suite.cluster.sql<{ n: string }>(
      `SELECT count() AS n FROM (SELECT click_id FROM linktrack.clicks FINAL
        WHERE slug = {slug:String} GROUP BY click_id HAVING count() > 1)`,
      { slug },
    );
    expect(Number(dupes?.n)).toBe(0);
  });
});
