// npm run bench:redirect — the redirect against a bare Fastify 302, measured
// alternately in one run so that machine noise hits every target alike.
// Targets (BENCH_TARGETS, default all): bare; embedded (one process, in-process
// bus); kafka (redirect, enricher and sink+api as separate processes on a
// kafka-local broker, or LINKTRACK_KAFKA_BROKERS, all consuming on the same
// cores); kafka-publish (the redirect publishing to Kafka with the consumers
// stopped: what Kafka itself costs the redirect).
// Options: BENCH_SECONDS (per round, default 10), BENCH_ROUNDS (default 3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaLocal } from '@linktrack/kafka-local';
import { average, freePort, type Measured, measure, startChild, stopChild } from './bench/harness.js';
import {
  API_KEY,
  benchBroker,
  countClicks,
  createLink,
  kafkaEnv,
  type Service,
  startService,
  stopAll,
} from './bench/pipeline-harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGETS = new Set((process.env.BENCH_TARGETS ?? 'bare,embedded,kafka,kafka-publish').split(','));
const GOALS: Record<string, number> = { embedded: 0.7, kafka: 0.8, 'kafka-publish': 0.8 };

interface Target {
  name: string;
  url: string;
  apiUrl: string | null;
  stop: () => Promise<void>;
}

async function main() {
  console.log(`bench:redirect — ${ROUNDS} rounds × ${SECONDS}s each, autocannon -c 100 -p 1`);
  const targets: Target[] = [];
  let broker: KafkaLocal | null = null;
  try {
    targets.push(await bareTarget());
    if (TARGETS.has('embedded')) targets.push(await embeddedTarget());
    if (TARGETS.has('kafka') || TARGETS.has('kafka-publish')) {
      const started = await benchBroker();
      broker = started.broker;
      const brokers = started.brokers;
      if (TARGETS.has('kafka')) targets.push(await kafkaTarget(brokers, 'kafka', true));
      if (TARGETS.has('kafka-publish')) targets.push(await kafkaTarget(brokers, 'kafka-publish', false));
    }
    console.log('warming up…');
    const sent = new Map<string, number>();
    for (const t of targets) {
      sent.set(t.name, (await measure('warmup', t.url, 2)).redirects);
      await drained(t, sent.get(t.name) ?? 0);
    }
    const runs = new Map<string, Measured[]>(targets.map((t) => [t.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const line: string[] = [];
      for (const t of targets) {
        const m = await measure(t.name, t.url, SECONDS);
        runs.get(t.name)?.push(m);
        sent.set(t.name, (sent.get(t.name) ?? 0) + m.redirects);
        line.push(`${t.name} ${m.requestsPerSec.toFixed(0)} req/s p99 ${m.p99Ms} ms`);
        // A pipeline still draining would take CPU from the next target's measurement.
        await drained(t, sent.get(t.name) ?? 0);
      }
      console.log(`round ${round}/${ROUNDS}: ${line.join('  ')}`);
    }
    report(targets, runs);
    for (const t of targets)
      if (t.apiUrl) console.log(`clicks stored so far (${t.name}): ${await countClicks(t.apiUrl, 'bench')}`);
  } finally {
    for (const t of targets.reverse()) await t.stop();
    await broker?.stop();
  }
}

/** Waits until a target's pipeline has stored every click sent to it (at most a minute). */
async function drained(t: Target, expected: number): Promise<void> {
  if (!t.apiUrl) return;
  const deadline = Date.now() + 60_000;
  while ((await countClicks(t.apiUrl, 'bench')) < expected && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
}

function report(targets: Target[], runs: Map<string, Measured[]>) {
  const bare = average(runs.get('bare') ?? []);
  console.log(
    '\n| target | req/s | p99 ms | non-3xx | ratio to bare | goal |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const t of targets) {
    const m = average(runs.get(t.name) ?? []);
    const ratio = m.requestsPerSec / bare.requestsPerSec;
    const goal = GOALS[t.name] ? `≥ ${GOALS[t.name]?.toFixed(2)}` : '';
    console.log(
      `| ${t.name} | ${m.requestsPerSec.toFixed(0)} | ${m.p99Ms.toFixed(1)} | ${m.non3xx} | ${ratio.toFixed(2)} | ${goal} |`,
    );
  }
}

async function bareTarget(): Promise<Target> {
  const port = await freePort();
  const child = await startChild(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/bare-server.ts', String(port)],
    {},
    /ready/,
  );
  return { name: 'bare', url: `http://127.0.0.1:${port}/bench`, apiUrl: null, stop: () => stopChild(child) };
}

async function embeddedTarget(): Promise<Target> {
  const [redirectPort, apiPort] = [await freePort(), await freePort()];
  const child = await startChild(
    process.execPath,
    ['bin/linktrack.mjs', 'start'],
    {
      LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-bench-')),
      LINKTRACK_REDIRECT_PORT: String(redirectPort),
      LINKTRACK_API_PORT: String(apiPort),
      LINKTRACK_API_KEY: API_KEY,
      LINKTRACK_LOG_LEVEL: 'warn',
    },
    /linktrack is running/,
  );
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await createLink(apiUrl, 'bench');
  return {
    name: 'embedded',
    url: `http://127.0.0.1:${redirectPort}/bench`,
    apiUrl,
    stop: () => stopChild(child),
  };
}

/**
 * The production shape: each service its own process, Kafka between them.
 * Without `consumers`, the api creates the link and then stops with the rest,
 * leaving the redirect and the broker alone on the machine.
 */
async function kafkaTarget(brokers: string, name: string, consumers: boolean): Promise<Target> {
  const env = kafkaEnv(brokers, name);
  const services: Service[] = [];
  const store = await startService('sink,api', env);
  if (consumers) services.push(store, await startService('enricher', env));
  const redirect = await startService('redirect', env);
  services.push(redirect);
  const apiUrl = store.url(/api: +(\S+)/);
  await createLink(apiUrl, 'bench');
  const url = `${redirect.url(/short links: (\S+)\/<slug>/)}/bench`;
  // The link reaches the redirect through the links topic.
  for (let i = 0; i < 100 && (await fetch(url, { redirect: 'manual' })).status !== 302; i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!consumers) await stopAll([store]);
  return {
    name,
    url,
    apiUrl: consumers ? apiUrl : null,
    stop: async () => {
      await stopAll(services.filter((s) => s !== store));
      if (consumers) await stopAll([store]);
    },
  };
}

await main();
