import { TOPICS } from '@linktrack/streams';
import { describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { clickRange, clusterForSuite, createLink, waitForClicks } from '../support/pipeline.js';
import { waitFor } from '../support/wait.js';

describe('poison message on the raw topic', () => {
  const suite = clusterForSuite('poison');

  kafkaIt('goes to the DLQ with its error and bytes, and the pipeline keeps flowing', async () => {
    const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/poison');
    const redirect = suite.cluster.redirect.redirectUrl as string;
    const clicks = (from: number) => clickRange(redirect, slug, from, from + 200, 20);

    await clicks(0);
    const poison = Buffer.from(`not avro at all ${Date.now()}`);
    // Same key as real traffic from 81.2.0.x, so it sits in a partition that keeps receiving clicks.
    await suite.bus.publish(TOPICS.clicksRaw, [{ key: Buffer.from('81.2.0.0/24'), value: poison }]);
    await clicks(200);

    const counts = await waitForClicks(suite.cluster.sql, slug, 400);
    expect(counts).toEqual({ rows: 400, distinct: 400, final: 400 });

    const dead = await waitFor(
      () =>
        suite.cluster.sql<{ stage: string; reason: string; error: string; source_topic: string }>(
          `SELECT stage, reason, error, source_topic FROM linktrack.dead_letters
            WHERE payload_base64 = {payload:String}`,
          { payload: poison.toString('base64') },
        ),
      (rows) => rows.length > 0,
      30_000,
      250,
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]?.stage).toBe('enricher.decode');
    expect(dead[0]?.source_topic).toBe(TOPICS.clicksRaw);
    expect(dead[0]?.error).toMatch(/single-object/);

    // The DLQ topic itself carries it too, for replay tooling that reads Kafka.
    const seen: Buffer[] = [];
    const sub = await suite.bus.subscribe(TOPICS.dlq, `dlq-reader-${Date.now()}`, async (batch) => {
      for (const m of batch.messages) seen.push(m.value);
    });
    await waitFor(
      async () => seen.some((v) => v.includes(poison)),
      (found) => found,
      20_000,
    );
    await sub.close();
  });

  kafkaIt(
    'leaves no raw click on the broker once the enricher committed it: full addresses go no further',
    async () => {
      const slug = await createLink(suite.cluster.store.apiUrl as string, 'https://example.com/forget');
      await clickRange(suite.cluster.redirect.redirectUrl as string, slug, 0, 100, 20);
      await waitForClicks(suite.cluster.sql, slug, 100);
      const total = (offsets: Map<number, string>) =>
        [...offsets.values()].reduce((a, o) => a + Number(o), 0);
      const end = total(await suite.bus.endOffsets(TOPICS.clicksRaw));
      // Deleted within a second or two of the commit (at most once a second per partition).
      const start = await waitFor(
        async () => total(await suite.bus.startOffsets(TOPICS.clicksRaw)),
        (n) => n >= end,
        20_000,
        250,
      );
      expect(start).toBe(end);
    },
  );
});
