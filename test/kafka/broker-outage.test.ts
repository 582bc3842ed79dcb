import { type KafkaLocal, startKafkaLocal } from '@linktrack/kafka-local';
import { afterAll, describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { type Cluster, click, createLink, startCluster, waitForClicks } from '../support/pipeline.js';

/** Fires `count` clicks at a steady `perSecond`, without waiting for one before the next. */
async function steadyClicks(redirectUrl: string, slug: string, count: number, perSecond: number) {
  const started = performance.now();
  const pending: Promise<{ status: number; ms: number }>[] = [];
  for (let n = 0; n < count; n++) {
    const due = started + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(click(redirectUrl, slug, n));
  }
  return Promise.all(pending);
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.99) - 1] as number;
}

describe('broker outage', () => {
  // This test stops and restarts a broker, so it runs one of its own.
  let broker: KafkaLocal | undefined;
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stopAll();
    await broker?.stop();
  });

  kafkaIt('2,000 clicks during 10 s without a broker: all 302, p99 within 2x, all stored once', async () => {
    broker = await startKafkaLocal();
    cluster = await startCluster('outage', { LINKTRACK_KAFKA_BROKERS: broker.bootstrap });
    const redirect = cluster.redirect.redirectUrl as string;
    const apiUrl = cluster.store.apiUrl as string;
    const baselineSlug = await createLink(apiUrl, 'https://example.com/baseline');
    const outageSlug = await createLink(apiUrl, 'https://example.com/outage');
    await waitForClicks(cluster.sql, baselineSlug, 0);

    // Warm up (JIT, keep-alive sockets) so the baseline is the redirect's steady state.
    await steadyClicks(redirect, baselineSlug, 500, 200);
    const baseline = await steadyClicks(redirect, baselineSlug, 2_000, 200);
    await waitForClicks(cluster.sql, baselineSlug, 2_500);

    await broker.stop();
    const stoppedAt = performance.now();
    const during = await steadyClicks(redirect, outageSlug, 2_000, 200);
    await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (performance.now() - stoppedAt))));
    broker = await startKafkaLocal({ dataDir: broker.dataDir });

    expect(baseline.filter((r) => r.status !== 302)).toEqual([]);
    expect(during.filter((r) => r.status !== 302)).toEqual([]);
    const before = p99(baseline.map((r) => r.ms));
    const outage = p99(during.map((r) => r.ms));
    console.log(`redirect p99: ${before.toFixed(1)} ms with the broker, ${outage.toFixed(1)} ms without`);
    expect(outage).toBeLessThanOrEqual(2 * before);

    const counts = await waitForClicks(cluster.sql, outageSlug, 2_000, 120_000);
    expect(counts.distinct).toBe(2_000);
    expect(counts.final).toBe(2_000);
    console.log(`outage clicks stored: ${JSON.stringify(counts)}`);
  });
});
