import { describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { clickRange, clusterForSuite, createLink, waitForClicks } from '../support/pipeline.js';
import { startLinktrack } from '../support/processes.js';

const TOTAL = 4_000;

describe('rebalance ledger', () => {
  const suite = clusterForSuite('ledger', async (cluster) => {
    cluster.enrichers.push(
      await startLinktrack('ledger-enricher-2', { services: 'enricher', env: cluster.env }),
    );
  });

  kafkaIt('two enrichers, one leaves mid-run: every click id arrives exactly once', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/ledger');
    const redirect = suite.cluster.redirect.redirectUrl as string;
    const send = (from: number, to: number) => clickRange(redirect, slug, from, to);

    const first = await send(0, TOTAL / 2);
    // The second enricher leaves the group (SIGTERM) while clicks keep coming: a rebalance mid-run.
    const [leaving, staying] = suite.cluster.enrichers;
    const [exitCode, second] = await Promise.all([leaving?.stop(), send(TOTAL / 2, TOTAL)]);
    suite.cluster.enrichers = [staying as NonNullable<typeof staying>];
    expect(exitCode).toBe(0);
    expect([...first, ...second].filter((r) => r.status !== 302)).toEqual([]);

    const counts = await waitForClicks(suite.cluster.sql, slug, TOTAL);
    // At-least-once delivery: a batch handled but not yet committed when the group
    // rebalanced is handled again. Those copies share (slug, ts, click_id), which
    // the ReplacingMergeTree collapses; the analysts' exact view is FINAL.
    console.log(
      `rebalance: ${counts.rows} rows stored for ${TOTAL} clicks (${counts.rows - TOTAL} replayed copies)`,
    );
    // The ledger: each click was sent with its own n; every n must be there exactly once.
    const ledger = await suite.cluster.sql<{ n: string; copies: string; ids: string }>(
      `SELECT extract(query, 'n=(\\\\d+)') AS n, count() AS copies, uniqExact(click_id) AS ids
         FROM linktrack.clicks FINAL WHERE slug = {slug:String} GROUP BY n ORDER BY toUInt32(n)`,
      { slug },
    );
    expect(ledger.map((r) => Number(r.n))).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(ledger.filter((r) => r.copies !== '1' || r.ids !== '1')).toEqual([]);
  });
});
