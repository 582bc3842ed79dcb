import { KafkaBus } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { TOPIC_SPECS } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { afterEach, describe, expect, inject } from 'vitest';
import { kafkaIt, uniquePrefix } from '../support/kafka.js';
import { waitFor } from '../support/wait.js';

const buses: KafkaBus[] = [];
function newBus(prefix: string) {
  const config = loadConfig({
    LINKTRACK_KAFKA_BROKERS: inject('kafkaBrokers') as string,
    LINKTRACK_KAFKA_TOPIC_PREFIX: prefix,
    LINKTRACK_KAFKA_PARTITIONS: '3',
  });
  const metrics = createMetrics();
  const bus = new KafkaBus({
    config: config.kafka as NonNullable<typeof config.kafka>,
    logger: createLogger('silent'),
    metrics,
    topics: TOPIC_SPECS,
  });
  buses.push(bus);
  return { bus, metrics };
}
const messages = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i % 7}`), value: Buffer.from(`v${i}`) }));
const sum = (offsets: Map<number, string>) =>
  [...offsets.values()].reduce((a, o) => a + Math.max(0, Number(o)), 0);

afterEach(async () => {
  await Promise.all(buses.splice(0).map((b) => b.close()));
});

describe('KafkaBus on a real broker', () => {
  kafkaIt('creates the topics, keeps a key on one partition, and commits what was handled', async () => {
    const { bus } = newBus(uniquePrefix('bus'));
    await bus.publish('clicks.raw', messages(70));
    const seen = new Map<string, Set<number>>();
    const sub = await bus.subscribe('clicks.raw', 'reader', async (batch) => {
      for (const m of batch.messages) {
        const key = m.key?.toString() ?? '';
        seen.set(key, (seen.get(key) ?? new Set()).add(batch.partition));
      }
    });
    await waitFor(
      async () => sum(await bus.committedOffsets('clicks.raw', 'reader')),
      (n) => n === 70,
      20_000,
      100,
    );
    await sub.close();
    expect([...seen.values()].every((partitions) => partitions.size === 1)).toBe(true);
    expect(seen.size).toBe(7);
  });

  kafkaIt(
    'deletes what a group committed from a topic when asked, and nothing it did not commit',
    async () => {
      const { bus } = newBus(uniquePrefix('forget'));
      await bus.publish('clicks.raw', messages(40));
      let handled = 0;
      const sub = await bus.subscribe(
        'clicks.raw',
        'reader',
        async (batch) => {
          handled += batch.messages.length;
        },
        { deleteConsumed: true },
      );
      await waitFor(
        async () => sum(await bus.startOffsets('clicks.raw')),
        (n) => n === 40,
        20_000,
        100,
      );
      await sub.close();
      expect(handled).toBe(40);
      expect(sum(await bus.endOffsets('clicks.raw'))).toBe(40);
      // A reader without the option leaves the topic as it was.
      const { bus: other } = newBus(uniquePrefix('keep'));
      await other.publish('clicks.raw', messages(10));
      const kept = await other.subscribe('clicks.raw', 'reader', async () => {});
      await waitFor(
        async () => sum(await other.committedOffsets('clicks.raw', 'reader')),
        (n) => n === 10,
        20_000,
        100,
      );
      await kept.close();
      expect(sum(await other.startOffsets('clicks.raw'))).toBe(0);
    },
  );

  kafkaIt('redelivers a batch whose handler failed, and commits only after it succeeds', async () => {
    const { bus, metrics } = newBus(uniquePrefix('retry'));
    await bus.publish('clicks.raw', [{ key: Buffer.from('one'), value: Buffer.from('x') }]);
    let calls = 0;
    let committedDuringFailure = '';
    const sub = await bus.subscribe('clicks.raw', 'flaky', async () => {
      calls += 1;
      if (calls === 1) {
        committedDuringFailure = JSON.stringify([
          ...(await bus.committedOffsets('clicks.raw', 'flaky')).values(),
        ]);
        throw new Error('downstream unavailable');
      }
    });
    await waitFor(
      async () => sum(await bus.committedOffsets('clicks.raw', 'flaky')),
      (n) => n === 1,
      20_000,
      100,
    );
    await sub.close();
    expect(calls).toBe(2);
    expect(committedDuringFailure).toBe('["-1","-1","-1"]');
    expect((await metrics.busHandlerFailures.get()).values[0]?.value).toBe(1);
  });

  kafkaIt('a registry reader (commit: false) reads everything and commits nothing', async () => {
    const { bus } = newBus(uniquePrefix('registry'));
    await bus.publish('links', messages(5));
    let read = 0;
    const sub = await bus.subscribe(
      'links',
      'follower',
      async (batch) => {
        read += batch.messages.length;
      },
      { commit: false },
    );
    await waitFor(
      async () => read,
      (n) => n === 5,
      20_000,
      50,
    );
    await sub.close();
    expect([...(await bus.committedOffsets('links', 'follower')).values()]).toEqual(['-1']);
  });
});
