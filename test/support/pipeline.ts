import { KafkaBus } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { TOPIC_SPECS } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { UA } from '@linktrack/test-support';
import { afterAll, beforeAll, inject } from 'vitest';
import { uniquePrefix } from './kafka.js';
import { type LinktrackProcess, sqlClient, startLinktrack } from './processes.js';
import { mapLimit, waitFor } from './wait.js';

export const API_KEY = 'kafka-suite-key-0123456789';

/** The environment every process of one test shares: its broker, its own topics and groups. */
export function pipelineEnv(label: string, extra: Record<string, string> = {}): Record<string, string> {
  const brokers = inject('kafkaBrokers');
  if (!brokers) throw new Error('no Kafka broker');
  const env: Record<string, string> = {
    LINKTRACK_KAFKA_BROKERS: brokers,
    LINKTRACK_KAFKA_TOPIC_PREFIX: uniquePrefix(label),
    LINKTRACK_KAFKA_PARTITIONS: '4',
    LINKTRACK_API_KEY: API_KEY,
    LINKTRACK_TRUST_PROXY: 'true',
    ...extra,
  };
  const clickhouseUrl = inject('clickhouseUrl');
  if (clickhouseUrl) env.LINKTRACK_CLICKHOUSE_URL = clickhouseUrl;
  return env;
}

export type Sql = ReturnType<typeof sqlClient>;

/** Creates a link through the api and returns its slug. */
export async function createLink(apiUrl: string, url: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url }),
  });
  if (res.status !== 201) throw new Error(`create link: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { slug: string }).slug;
}

/** One click from a distinct client; resolves with the status and how long the redirect took. */
export async function click(
  redirectUrl: string,
  slug: string,
  n: number,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${redirectUrl}/${slug}?n=${n}`, {
    redirect: 'manual',
    headers: { 'user-agent': UA.chromeDesktop, 'x-forwarded-for': `81.2.${(n >> 8) & 255}.${n & 255}` },
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/** Clicks number `from` to `to` - 1, `concurrency` at a time. */
export function clickRange(redirectUrl: string, slug: string, from: number, to: number, concurrency = 25) {
  return mapLimit(
    Array.from({ length: to - from }, (_, i) => from + i),
    concurrency,
    (n) => click(redirectUrl, slug, n),
  );
}

/** A bus of the test's own on the cluster's topics, to publish or read what the services do. */
export function clusterBus(env: Record<string, string>): KafkaBus {
  const config = loadConfig(env);
  return new KafkaBus({
    config: config.kafka as NonNullable<typeof config.kafka>,
    logger: createLogger('silent'),
    topics: TOPIC_SPECS,
  });
}

/** Rows for a slug: all stored rows, distinct click ids, and rows after deduplication (FINAL). */
export async function countClicks(
  sql: Sql,
  slug: string,
): Promise<{ rows: number; distinct: number; final: number }> {
  const [raw] = await sql<{ rows: string; distinct: string }>(
    'SELECT count() AS rows, uniqExact(click_id) AS distinct FROM linktrack.clicks WHERE slug = {slug:String}',
    { slug },
  );
  const [fin] = await sql<{ rows: string }>(
    'SELECT count() AS rows FROM linktrack.clicks FINAL WHERE slug = {slug:String}',
    { slug },
  );
  return { rows: Number(raw?.rows), distinct: Number(raw?.distinct), final: Number(fin?.rows) };
}

/** Waits until `expected` distinct clicks are stored, then gives the counts. */
export async function waitForClicks(sql: Sql, slug: string, expected: number, timeoutMs = 90_000) {
  return waitFor(
    () => countClicks(sql, slug).catch(() => ({ rows: -1, distinct: -1, final: -1 })),
    (c) => c.distinct >= expected,
    timeoutMs,
    250,
  );
}

/** sink+api (owns the ClickHouse data), enricher and redirect, each its own process. */
export interface Cluster {
  env: Record<string, string>;
  store: LinktrackProcess;
  enrichers: LinktrackProcess[];
  redirect: LinktrackProcess;
  sql: Sql;
  stopAll(): Promise<void>;
}

export async function startCluster(label: string, extra: Record<string, string> = {}): Promise<Cluster> {
  const env = pipelineEnv(label, extra);
  // sink+api first: it creates the topics and owns the embedded ClickHouse data dir.
  const store = await startLinktrack(`${label}-store`, { services: 'sink,api', env });
  const [enricher, redirect] = await Promise.all([
    startLinktrack(`${label}-enricher`, { services: 'enricher', env }),
    startLinktrack(`${label}-redirect`, { services: 'redirect', env }),
  ]);
  const cluster: Cluster = {
    env,
    store,
    enrichers: [enricher],
    redirect,
    sql: sqlClient(store.apiUrl as string, API_KEY),
    stopAll: async () => {
      await Promise.all([cluster.redirect, ...cluster.enrichers].map((p) => p.stop()));
      await cluster.store.stop();
    },
  };
  return cluster;
}

export interface SuiteCluster {
  cluster: Cluster;
  /** The test's own bus on the cluster's topics. */
  bus: KafkaBus;
}

/**
 * Starts a cluster before the suite's tests (when a broker is available) and
 * stops it after them; `extra` runs once it is up, for more processes.
 */
export function clusterForSuite(
  label: string,
  extra?: (cluster: Cluster) => Promise<void>,
  env: Record<string, string> = {},
): SuiteCluster {
  const suite = {} as SuiteCluster;
  beforeAll(async () => {
    if (!inject('kafkaBrokers')) return;
    suite.cluster = await startCluster(label, env);
    suite.bus = clusterBus(suite.cluster.env);
    await extra?.(suite.cluster);
  });
  afterAll(async () => {
    await suite.bus?.close();
    await suite.cluster?.stopAll();
  });
  return suite;
}
