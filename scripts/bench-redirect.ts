// npm run bench:redirect — the redirect against a bare Fastify 302, measured
// alternately in one run so that machine noise hits every target alike.
// Targets (BENCH_TARGETS, default all but bare-worker): bare; bare-worker (the same 302 served from a worker
// thread, as the redirect's HTTP thread is; only when named); embedded (one process, in-process
// bus, the pipeline yielding to the redirect during the burst); kafka (redirect,
// enricher and sink+api as separate processes on a kafka-local broker, or
// LINKTRACK_KAFKA_BROKERS, all on the same cores); kafka-publish (the redirect
// publishing to Kafka with the consumers stopped: what Kafka itself costs the redirect).
// Besides req/s and ratios it prints the cost model: CPU µs per request of each
// process and of the redirect's threads (HTTP thread, publishing side) during
// the burst, and the catch-up after it (time, CPU µs per click), with peak RSS.
// Options: BENCH_SECONDS (per round, default 10), BENCH_ROUNDS (default 3),
// BENCH_QUIET_LOAD (wait, up to 5 minutes, for the 1-minute load to drop below it),
// BENCH_PROFILE=<dir> (a V8 CPU profile of every process and thread it starts; see
// scripts/bench/profile-summary.ts).
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaLocal } from '@linktrack/kafka-local';
import {
  type Measured as CostTarget,
  type CpuSnapshot,
  fmt,
  metricValue,
  perEvent,
  quietMachine,
  rssMb,
  snapshot,
} from './bench/cost.js';
import { freePort, type Measured, measure, startChild, stopChild } from './bench/harness.js';
import {
  API_KEY,
  benchBroker,
  countClicks,
  createLink,
  kafkaEnv,
  OPS_URL,
  profileArgs,
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
  /** Every process whose CPU this target costs, by role; `redirect` serves the requests. */
  processes: Record<string, CostTarget>;
  stop: () => Promise<void>;
}

interface Round {
  m: Measured;
  /** CPU µs per request during the burst, per process and thread. */
  burst: Record<string, number>;
  /** CPU µs per click while the pipeline caught up after the burst. */
  drain: Record<string, number>;
  drainSeconds: number;
  /** Seconds the embedded pipeline held back during the burst. */
  yieldSeconds: number;
}

async function main() {
  console.log(`bench:redirect — ${ROUNDS} rounds × ${SECONDS}s each, autocannon -c 100 -p 1`);
  const targets: Target[] = [];
  let broker: KafkaLocal | null = null;
  try {
    targets.push(await bareTarget());
    if (TARGETS.has('bare-worker')) targets.push(await bareTarget('bare-worker'));
    if (TARGETS.has('embedded')) targets.push(await embeddedTarget());
    if (TARGETS.has('kafka') || TARGETS.has('kafka-publish')) {
      const started = await benchBroker();
      broker = started.broker;
      const brokers = started.brokers;
      if (TARGETS.has('kafka')) targets.push(await kafkaTarget(brokers, 'kafka', true, broker));
      if (TARGETS.has('kafka-publish'))
        targets.push(await kafkaTarget(brokers, 'kafka-publish', false, broker));
    }
    console.log('warming up…');
    const sent = new Map<string, number>();
    for (const t of targets) {
      sent.set(t.name, (await measure('warmup', t.url, 2)).redirects);
      await drained(t, sent.get(t.name) ?? 0);
    }
    const quiet = process.env.BENCH_QUIET_LOAD;
    const loadBefore = quiet ? await quietMachine(Number(quiet)) : (loadavg()[0] as number);
    const runs = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const line: string[] = [];
      for (const t of targets) {
        const r = await measureRound(t, sent);
        runs.get(t.name)?.push(r);
        line.push(`${t.name} ${r.m.requestsPerSec.toFixed(0)} req/s`);
      }
      console.log(`round ${round}/${ROUNDS}: ${line.join('  ')}`);
    }
    report(targets, runs);
    console.log(
      `\nload average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after; autocannon runs on the same cores`,
    );
    for (const t of targets)
      if (t.apiUrl)
        console.log(
          `clicks stored (${t.name}): ${await countClicks(t.apiUrl, 'bench')} for ${sent.get(t.name)} redirects`,
        );
  } finally {
    for (const t of targets.reverse()) await t.stop();
    await broker?.stop();
  }
}

async function measureRound(t: Target, sent: Map<string, number>): Promise<Round> {
  const redirectOps = t.processes.redirect?.opsUrl ?? null;
  const yielded = async () =>
    redirectOps ? metricValue(redirectOps, 'linktrack_bus_yield_seconds_total', 'clicks.raw') : 0;
  const y0 = await yielded();
  const before = await snapshot(t.processes);
  // autocannon runs in this process: its CPU per request is part of what the two cores carry.
  const loadgen = process.cpuUsage();
  const m = await measure(t.name, t.url, SECONDS);
  const loadgenUs = process.cpuUsage(loadgen);
  const after = await snapshot(t.processes);
  const yieldSeconds = (await yielded()) - y0;
  sent.set(t.name, (sent.get(t.name) ?? 0) + m.redirects);
  // A pipeline still draining would take CPU from the next target's measurement.
  const started = performance.now();
  await drained(t, sent.get(t.name) ?? 0);
  const drainSeconds = (performance.now() - started) / 1000;
  const done: CpuSnapshot = await snapshot(t.processes);
  const burst = perEvent(before, after, m.redirects);
  if (m.redirects > 0) burst.loadgen = (loadgenUs.user + loadgenUs.system) / m.redirects;
  return {
    m,
    burst,
    drain: perEvent(after, done, m.redirects),
    drainSeconds,
    yieldSeconds,
  };
}

/** Waits until a target's pipeline has stored every click sent to it (at most two minutes). */
async function drained(t: Target, expected: number): Promise<void> {
  if (!t.apiUrl) return;
  const deadline = Date.now() + 120_000;
  while ((await countClicks(t.apiUrl, 'bench')) < expected && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
}

const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const meanOf = (rounds: Round[], pick: (r: Round) => number | undefined) =>
  mean(rounds.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v)));

function report(targets: Target[], runs: Map<string, Round[]>) {
  const bare = runs.get('bare') ?? [];
  const bareRps = meanOf(bare, (r) => r.m.requestsPerSec);
  const bareCpu = meanOf(bare, (r) => r.burst.redirect);
  console.log(
    '\n| target | req/s | p99 ms | non-3xx | ratio to bare | goal |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const t of targets) {
    const rounds = runs.get(t.name) ?? [];
    const rps = meanOf(rounds, (r) => r.m.requestsPerSec);
    const goal = GOALS[t.name] ? `≥ ${GOALS[t.name]?.toFixed(2)}` : '';
    const non3xx = rounds.reduce((s, r) => s + r.m.non3xx, 0);
    console.log(
      `| ${t.name} | ${rps.toFixed(0)} | ${fmt(meanOf(rounds, (r) => r.m.p99Ms))} | ${non3xx} | ${(rps / bareRps).toFixed(2)} | ${goal} |`,
    );
  }

  console.log(
    `\nCPU µs per request during the burst (bare Fastify 302: ${fmt(bareCpu)} µs = 1.00)` +
      '\n| target | redirect process | HTTP thread | publishing side (main thread) | other threads | enricher | sink+api | broker | redirect process ÷ bare | autocannon |' +
      '\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const t of targets) {
    const rounds = runs.get(t.name) ?? [];
    const b = (key: string) => meanOf(rounds, (r) => r.burst[key]);
    const total = b('redirect');
    const http = b('redirect/redirect');
    const main = b('redirect/main');
    const others = total - (Number.isNaN(http) ? 0 : http) - (Number.isNaN(main) ? 0 : main);
    console.log(
      `| ${t.name} | ${fmt(total)} | ${fmt(http)} | ${fmt(main)} | ${Number.isNaN(http) ? '—' : fmt(others)} | ${fmt(b('enricher'))} | ${fmt(b('sink'))} | ${fmt(b('broker'))} | ${(total / bareCpu).toFixed(2)} | ${fmt(b('loadgen'))} |`,
    );
  }

  const piped = targets.filter((t) => t.apiUrl);
  if (piped.length === 0) return;
  console.log(
    '\nAfter the burst: the pipeline catching up (CPU µs per click, per process)' +
      '\n| target | held back during burst | catch-up s | redirect process | main thread | enricher | sink+api | broker | peak RSS MB |' +
      '\n|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const t of piped) {
    const rounds = runs.get(t.name) ?? [];
    const d = (key: string) => meanOf(rounds, (r) => r.drain[key]);
    const held = meanOf(rounds, (r) => r.yieldSeconds);
    const peaks = Object.entries(t.processes)
      .map(([name, p]) => `${name} ${fmt(rssMb(p.pid)?.peak, 0)}`)
      .join(', ');
    console.log(
      `| ${t.name} | ${t.name === 'embedded' ? `${fmt(held)} s of ${SECONDS} s` : '—'} | ${fmt(meanOf(rounds, (r) => r.drainSeconds))} | ${fmt(d('redirect'))} | ${fmt(d('redirect/main'))} | ${fmt(d('enricher'))} | ${fmt(d('sink'))} | ${fmt(d('broker'))} | ${peaks} |`,
    );
  }
}

/** The bare 302 (the unit), or with `bare-worker` the same server on a worker thread. */
async function bareTarget(name = 'bare'): Promise<Target> {
  const port = await freePort();
  const script = name === 'bare-worker' ? 'scripts/bench/bare-worker.mjs' : 'scripts/bench/bare-server.ts';
  const child = await startChild(
    process.execPath,
    [...profileArgs(), '--import', 'tsx', script, String(port)],
    {},
    /ready/,
  );
  return {
    name,
    url: `http://127.0.0.1:${port}/bench`,
    apiUrl: null,
    processes: { redirect: { pid: child.pid } },
    stop: () => stopChild(child),
  };
}

async function embeddedTarget(): Promise<Target> {
  const [redirectPort, apiPort] = [await freePort(), await freePort()];
  const child = await startChild(
    process.execPath,
    [...profileArgs(), 'bin/linktrack.mjs', 'start'],
    {
      LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-bench-')),
      LINKTRACK_REDIRECT_PORT: String(redirectPort),
      LINKTRACK_API_PORT: String(apiPort),
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_API_KEY: API_KEY,
      LINKTRACK_LOG_LEVEL: 'warn',
    },
    /transport:/,
  );
  const startup = (child as { startupOutput?: string }).startupOutput ?? '';
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await createLink(apiUrl, 'bench');
  return {
    name: 'embedded',
    url: `http://127.0.0.1:${redirectPort}/bench`,
    apiUrl,
    processes: { redirect: { pid: child.pid, opsUrl: OPS_URL.exec(startup)?.[1] ?? null } },
    stop: () => stopChild(child),
  };
}

/**
 * The production shape: each service its own process, Kafka between them.
 * Without `consumers`, the api creates the link and then stops with the rest,
 * leaving the redirect and the broker alone on the machine.
 */
async function kafkaTarget(
  brokers: string,
  name: string,
  consumers: boolean,
  broker: KafkaLocal | null,
): Promise<Target> {
  const env = kafkaEnv(brokers, name);
  const services: Service[] = [];
  const store = await startService('sink,api', env);
  const enricher = consumers ? await startService('enricher', env) : null;
  if (consumers) services.push(store, enricher as Service);
  const redirect = await startService('redirect', env);
  services.push(redirect);
  const apiUrl = store.url(/api: +(\S+)/);
  await createLink(apiUrl, 'bench');
  const url = `${redirect.url(/short links: (\S+)\/<slug>/)}/bench`;
  // The link reaches the redirect through the links topic.
  for (let i = 0; i < 100 && (await fetch(url, { redirect: 'manual' })).status !== 302; i++)
    await new Promise((r) => setTimeout(r, 50));
  if (!consumers) await stopAll([store]);
  const processes: Record<string, CostTarget> = {
    redirect: { pid: redirect.child.pid, opsUrl: redirect.opsUrl },
    broker: { pid: broker?.pid },
  };
  if (consumers) {
    processes.enricher = { pid: enricher?.child.pid };
    processes.sink = { pid: store.child.pid };
  }
  return {
    name,
    url,
    apiUrl: consumers ? apiUrl : null,
    processes,
    stop: async () => {
      await stopAll(services.filter((s) => s !== store));
      if (consumers) await stopAll([store]);
    },
  };
}

await main();
