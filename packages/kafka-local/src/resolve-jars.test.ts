import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterId } from './broker.js';
import { KafkaLocalError } from './errors.js';
import { checkJava, pomKafkaVersion, resolveKafkaJars } from './resolve-jars.js';

describe('kafka-local prerequisites', () => {
  it('says what to install when Java is missing', async () => {
    const err = await checkJava('/nonexistent/java').catch((e) => e);
    expect(err).toBeInstanceOf(KafkaLocalError);
    expect(err.code).toBe('LT_KAFKA_LOCAL_JAVA_MISSING');
    expect(err.message).toMatch(/Java 17 or newer on PATH.*apt-get install openjdk-17/);
  });

  it('says what to install when Maven is missing and nothing is cached', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'lt-kafka-cache-'));
    const err = await resolveKafkaJars(cache, () => {}, '/nonexistent/mvn').catch((e) => e);
    expect(err.code).toBe('LT_KAFKA_LOCAL_MAVEN_MISSING');
    expect(err.message).toMatch(/Maven \(mvn\) on PATH/);
  });

  it('pins a Kafka 4.x at or above 4.1, the line whose consumer groups kafkajs 2.2 can join', async () => {
    const [major, minor] = (await pomKafkaVersion()).split('.').map(Number);
    expect(major === 4 && (minor as number) >= 1).toBe(true);
  });
});

describe('clusterId', () => {
  it('is 22 characters of base64url and never starts with "-", which the storage tool would take for an option', () => {
    for (let i = 0; i < 2_000; i++) {
      const id = clusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
