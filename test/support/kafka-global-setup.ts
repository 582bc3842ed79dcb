import { startKafkaLocal } from '@linktrack/kafka-local';
import type { TestProject } from 'vitest/node';

/**
 * Chooses the Kafka broker (and ClickHouse server) for the suites under
 * test/kafka, in this order: LINKTRACK_KAFKA_BROKERS; testcontainers when a
 * Docker engine answers; a local KRaft broker from Maven Central's jars.
 * Without any, suites skip with one loud line, except under CI=true.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string | null;
    /** How the broker was found, for messages. */
    kafkaSource: string;
    /** Why no broker is available, when none is. */
    kafkaUnavailable: string | null;
    /** A ClickHouse server from testcontainers; null means the embedded engine (chDB). */
    clickhouseUrl: string | null;
  }
}

type Stop = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const provide = (
    brokers: string | null,
    source: string,
    unavailable: string | null,
    chUrl: string | null,
  ) => {
    project.provide('kafkaBrokers', brokers);
    project.provide('kafkaSource', source);
    project.provide('kafkaUnavailable', unavailable);
    project.provide('clickhouseUrl', chUrl);
  };
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };

  const fromEnv = process.env.LINKTRACK_KAFKA_BROKERS;
  if (fromEnv) {
    provide(fromEnv, 'LINKTRACK_KAFKA_BROKERS', null, process.env.LINKTRACK_CLICKHOUSE_URL ?? null);
    return teardown;
  }
  const docker = await fromTestcontainers(stops);
  if (docker) {
    provide(docker.brokers, 'testcontainers', null, docker.clickhouseUrl);
    return teardown;
  }
  try {
    const broker = await startKafkaLocal({ progress: (line) => console.log(`[kafka-local] ${line}`) });
    stops.push(() => broker.stop());
    provide(broker.bootstrap, 'kafka-local', null, null);
  } catch (err) {
    const reason = `no Kafka broker: LINKTRACK_KAFKA_BROKERS is unset, no Docker engine answered, and kafka-local failed: ${(err as Error).message}`;
    console.error(
      `\n!!! ${reason}\n!!! Kafka suites ${process.env.CI === 'true' ? 'FAIL (CI=true)' : 'are skipped'}\n`,
    );
    provide(null, 'none', reason, null);
  }
  return teardown;
}

/** Kafka and ClickHouse servers in containers, when a Docker engine answers within a few seconds. */
async function fromTestcontainers(stops: Stop[]): Promise<{ brokers: string; clickhouseUrl: string } | null> {
  if (process.env.LINKTRACK_TEST_DOCKER === 'false') return null;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const answered = await Promise.race([
    getContainerRuntimeClient().then(
      () => true,
      () => false,
    ),
    new Promise<false>((r) => setTimeout(() => r(false), 5_000).unref()),
  ]);
  if (!answered) return null;
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
  // cp-kafka 7.9 is Apache Kafka 3.9, which kafkajs 2.2 speaks fully.
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  stops.push(async () => void (await kafka.stop()));
  const clickhouse = await new ClickHouseContainer('clickhouse/clickhouse-server:25.8').start();
  stops.push(async () => void (await clickhouse.stop()));
  return {
    brokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    clickhouseUrl: clickhouse.getConnectionUrl(),
  };
}
