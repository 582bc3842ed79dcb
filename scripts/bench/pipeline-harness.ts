import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaLocal, startKafkaLocal } from '@linktrack/kafka-local';
import { startChild, stopChild } from './harness.js';

export const API_KEY = 'bench-key-0123456789abcdef';
/** The line linktrack prints with its internal listener. */
export const OPS_URL = /health\/metrics: +(\S+)/;

export interface Service {
  child: ChildProcess;
  output: () => string;
  url: (label: RegExp) => string;
  /** The internal listener (/metrics). */
  opsUrl: string;
}

/** The environment of one measurement: its own topic prefix, so runs never see each other. */
export function kafkaEnv(brokers: string, label: string): Record<string, string> {
  return {
    LINKTRACK_KAFKA_BROKERS: brokers,
    LINKTRACK_KAFKA_TOPIC_PREFIX: `bench-${label}-${randomUUID().slice(0, 8)}.`,
    LINKTRACK_KAFKA_PARTITIONS: '6',
    LINKTRACK_API_KEY: API_KEY,
    LINKTRACK_TRUST_PROXY: 'true',
    LINKTRACK_LOG_LEVEL: 'warn',
  };
}

/** `linktrack start --services …` with its own data dir and free ports; resolves once it is up. */
export async function startService(services: string, env: Record<string, string>): Promise<Service> {
  let output = '';
  const child = await startChild(
    process.execPath,
    // BENCH_PROFILE=<dir> writes a V8 CPU profile of every service, to see where the time goes.
    [...profileArgs(), 'bin/linktrack.mjs', 'start', '--services', services],
    {
      LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), `lt-bench-${services.replace(',', '-')}-`)),
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      ...env,
    },
    /transport:.*\n/,
  );
  // startChild resolved on the last start-up line; keep collecting for error messages.
  child.stdout?.on('data', (d) => {
    output += d;
  });
  const startup = (child as ChildProcess & { startupOutput?: string }).startupOutput ?? '';
  const url = (label: RegExp) => {
    const match = label.exec(startup);
    if (!match?.[1]) throw new Error(`no ${label} in:\n${startup}`);
    return match[1];
  };
  return { child, output: () => startup + output, url, opsUrl: url(OPS_URL) };
}

export async function stopAll(services: (Service | undefined)[]): Promise<void> {
  await Promise.all(services.filter((s): s is Service => !!s).map((s) => stopChild(s.child)));
}

export async function createLink(apiUrl: string, slug: string): Promise<void> {
  const res = await fetch(`${apiUrl}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      url: `https://example.com/${slug}`,
      slug,
      utm: { source: 'bench', medium: 'cpc', campaign: slug },
    }),
  });
  if (res.status !== 201) throw new Error(`creating link ${slug}: ${res.status} ${await res.text()}`);
}

export async function sql<T>(apiUrl: string, query: string): Promise<T[]> {
  const res = await fetch(`${apiUrl}/v1/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  if (!res.ok) throw new Error(`sql ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: T[] }).data;
}

export async function countClicks(apiUrl: string, slug: string): Promise<number> {
  const [row] = await sql<{ n: string }>(
    apiUrl,
    `SELECT count() AS n FROM linktrack.clicks WHERE slug = '${slug}'`,
  );
  return Number(row?.n ?? 0);
}

/** `--cpu-prof` arguments when BENCH_PROFILE names a directory (NODE_OPTIONS may not carry them). */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
}

/** LINKTRACK_KAFKA_BROKERS when set; otherwise a kafka-local broker with the JIT tuned for throughput. */
export async function benchBroker(): Promise<{ brokers: string; broker: KafkaLocal | null }> {
  const given = process.env.LINKTRACK_KAFKA_BROKERS;
  if (given) return { brokers: given, broker: null };
  const broker = await startKafkaLocal({
    jit: 'throughput',
    progress: (line) => console.log(`[kafka-local] ${line}`),
  });
  return { brokers: broker.bootstrap, broker };
}
