import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kafkaBrokers, kafkaIt } from '../support/kafka.js';
import { type Cluster, click, createLink, startCluster, waitForClicks } from '../support/pipeline.js';
import { startLinktrack } from '../support/processes.js';
import { mapLimit } from '../support/wait.js';

const TOTAL = 4_000;

describe('rebalance ledger', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    if (!kafkaBrokers()) return;
    cluster = await startCluster('ledger');
    cluster.enrichers.push(
      await startLinktrack('ledger-enricher-2', { services: 'enricher', env: cluster.env }),
    );
  });
  afterAll(async () => {
    await cluster?.stopAll();
  });

  kafkaIt('two enrichers, one leaves mid-run: every click id arrives exactly once', async () => {
    const slug = await createLink(cluster.store.apiUrl as string, 'https://example.com/ledger');
    const redirect = cluster.redirect.redirectUrl as string;
    const send = (from: number, to: number) =>
      mapLimit(
        Array.from({ length: to - from }, (_, i) => from + i),
        25,
        (n) => click(redirect, slug, n),
      );

    const first = await send(0, TOTAL / 2);
    // The second enricher leaves the group (SIGTERM) while clicks keep coming: a rebalance mid-run.
    const [leaving, staying] = cluster.enrichers;
    const [exitCode, second] = await Promise.all([leaving?.stop(), send(TOTAL / 2, TOTAL)]);
    cluster.enrichers = [staying as NonNullable<typeof staying>];
    expect(exitCode).toBe(0);
    expect([...first, ...second].filter((r) => r.status !== 302)).toEqual([]);

    await waitForClicks(cluster.sql, slug, TOTAL);
    // The ledger: each click was sent with its own n; every n must be stored exactly once.
    const ledger = await cluster.sql<{ n: string; copies: string }>(
      `SELECT extract(query, 'n=(\\\\d+)') AS n, count() AS copies FROM linktrack.clicks
        WHERE slug = {slug:String} GROUP BY n ORDER BY toUInt32(n)`,
      { slug },
    );
    expect(ledger.map((r) => Number(r.n))).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(ledger.filter((r) => r.copies !== '1')).toEqual([]);
  });
});
