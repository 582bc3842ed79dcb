import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBus } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs, TOPIC_SPECS } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { apiUnderTest, TEST_API_KEY } from '@linktrack/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, inject } from 'vitest';
import { kafkaIt, uniquePrefix } from '../support/kafka.js';

const KEY = TEST_API_KEY;
const logger = createLogger('silent');
const _codecs = createCodecs();
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
});

/** One api instance: its own Kafka client, its own link index following the links topic. */
async function apiInstance(prefix: string, store: Store) {
  const config = loadConfig({
    LINKTRACK_KAFKA_BROKERS: inject('kafkaBrokers') as string,
    LINKTRACK_KAFKA_TOPIC_PREFIX: prefix,
  });
  const bus = new KafkaBus({
    config: config.kafka as NonNullable<typeof config.kafka>,
    logger,
    topics: TOPIC_SPECS,
  });
  await bus.connect();
  closers.push(() => bus.close());
  const api = await apiUnderTest({ bus, store });
  closers.push(() => api.close());
  return { app: api.app, index: api.index, bus };
}

const create = (app: FastifyInstance, slug: string, url: string) =>
  app.inject({
    method: 'POST',
    url: '/v1/links',
    headers: { authorization: `Bearer ${KEY}` },
    payload: { url, slug },
  });

describe('slug uniqueness across api instances on Kafka', () => {
  kafkaIt('two creates of one slug on two instances: exactly one 201 and one 409, every time', async () => {
    const store = await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-race-')), logger });
    closers.push(() => store.close());
    const prefix = uniquePrefix('race');
    const a = await apiInstance(prefix, store);
    const b = await apiInstance(prefix, store);
    const slugs = Array.from({ length: 25 }, (_, i) => `race-${i}`);
    const winners = new Map<string, string>();
    for (const slug of slugs) {
      const [ra, rb] = await Promise.all([
        create(a.app, slug, `https://a.example/${slug}`),
        create(b.app, slug, `https://b.example/${slug}`),
      ]);
      expect([ra.statusCode, rb.statusCode].sort()).toEqual([201, 409]);
      const winner = ra.statusCode === 201 ? ra : rb;
      const loser = ra.statusCode === 201 ? rb : ra;
      expect(loser.json().error).toMatchObject({ code: 'LT_API_SLUG_TAKEN', field: 'slug' });
      winners.set(slug, winner.json().destination);
    }
    // Both instances, and a newcomer reading the topic from the start, agree on every winner.
    const late = await apiInstance(prefix, store);
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () => {
        if (slugs.every((s) => late.index.get(s)?.destination === winners.get(s))) return resolve();
        if (Date.now() > deadline) return reject(new Error('late instance did not converge'));
        setTimeout(check, 50);
      };
      check();
    });
    for (const slug of slugs) {
      expect(a.index.get(slug)?.destination).toBe(winners.get(slug));
      expect(b.index.get(slug)?.destination).toBe(winners.get(slug));
    }
  });
});
