import { KafkaBus, TOPICS } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kafkaBrokers, kafkaIt } from '../support/kafka.js';
import { type Cluster, click, createLink, startCluster, waitForClicks } from '../support/pipeline.js';
import { mapLimit, waitFor } from '../support/wait.js';

describe('poison message on the raw topic', () => {
  let cluster: Cluster;
  let bus: KafkaBus;
  beforeAll(async () => {
    if (!kafkaBrokers()) return;
    cluster = await startCluster('poison');
    const config = loadConfig(cluster.env);
    bus = new KafkaBus({
      config: config.kafka as NonNullable<typeof config.kafka>,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await bus?.close();
    await cluster?.stopAll();
  });

  kafkaIt('goes to the DLQ with its error and bytes, and the pipeline keeps flowing', async () => {
    const slug = await createLink(cluster.store.apiUrl as string, 'https://example.com/poison');
    const redirect = cluster.redirect.redirectUrl as string;
    const clicks = (from: number) =>
      mapLimit(
        Array.from({ length: 200 }, (_, i) => from + i),
        20,
        (n) => click(redirect, slug, n),
      );

    await clicks(0);
    const poison = Buffer.from(`not avro at all ${Date.now()}`);
    // Same key as real traffic from 81.2.0.x, so it sits in a partition that keeps receiving clicks.
    await bus.publish(TOPICS.clicksRaw, [{ key: Buffer.from('81.2.0.0/24'), value: poison }]);
    await clicks(200);

    const counts = await waitForClicks(cluster.sql, slug, 400);
    expect(counts).toEqual({ rows: 400, distinct: 400, final: 400 });

    const dead = await waitFor(
      () =>
        cluster.sql<{ stage: string; reason: string; error: string; source_topic: string }>(
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
    const sub = await bus.subscribe(TOPICS.dlq, `dlq-reader-${Date.now()}`, async (batch) => {
      for (const m of batch.messages) seen.push(m.value);
    });
    await waitFor(
      async () => seen.some((v) => v.includes(poison)),
      (found) => found,
      20_000,
    );
    await sub.close();
  });
});
