// npm run bench:pipeline — the Kafka pipeline on a real broker, two figures and a cost model:
//   baseline:  a bare Fastify 302 under autocannon, its CPU µs per request (the unit of the model);
//   catch-up:  a backlog of clicks on the raw topic, drained into ClickHouse (events/s), with the
//              CPU µs per event of the enricher, the sink and the broker, and their ratios to the baseline;
//   freshness: a steady rate through the redirect, time from a click's ts to its row (p50, p99).
// Options: BENCH_CATCHUP_EVENTS (200000), BENCH_FRESHNESS_RATE (2000/s), BENCH_FRESHNESS_SECONDS (60),
// BENCH_ONLY (catch-up or freshness), BENCH_QUIET_LOAD (wait for the 1-minute load to drop below it),
// BENCH_PROFILE=<dir> (a V8 CPU profile of the bare server and every service; scripts/bench/profile-summary.ts).
// Uses LINKTRACK_KAFKA_BROKERS when set, otherwise starts kafka-local.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { KafkaBus } from '@linktrack/bus';
import { loadConfig } from '@linktrack/config';
import { ipPrefix } from '@linktrack/ip';
import type { KafkaLocal } from '@linktrack/kafka-local';
import { type ClickEvent, createCodecs, TOPIC_SPECS, TOPICS } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import autocannon from 'autocannon';
import { fmt, perEvent, quietMachine, rssMb, snapshot } from './bench/cost.js';
import { freePort, measure, startChild, stopChild } from './bench/harness.js';
import {
  benchBroker,
  countClicks,
  createLink,
  kafkaEnv,
  profileArgs,
  type Service,
  sql,
  startService,
  stopAll,
} from './bench/pipeline-harness.js';

const CATCHUP_EVENTS = Number(process.env.BENCH_CATCHUP_EVENTS ?? 200_000);
const RATE = Number(process.env.BENCH_FRESHNESS_RATE ?? 2_000);
const SECONDS = Number(process.env.BENCH_FRESHNESS_SECONDS ?? 60);
const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const IPS = ['81.2.69.', '133.242.0.', '8.8.8.', '1.1.1.', '200.160.2.', '5.9.0.'];

async function main() {
  const { brokers, broker } = await benchBroker();
  try {
    const quiet = process.env.BENCH_QUIET_LOAD;
    const loadBefore = quiet ? await quietMachine(Number(quiet)) : (loadavg()[0] as number);
    // BENCH_ONLY=catch-up or freshness runs one of the two.
    const only = process.env.BENCH_ONLY;
    const bare = await measureBare();
    const catchUp = only === 'freshness' ? null : await measureCatchUp(brokers, broker);
    const fresh = only === 'catch-up' ? null : await measureFreshness(brokers);
    console.log('\n| figure | measured | goal |\n|---|---:|---:|');
    console.log(
      `| bare Fastify 302 (the unit) | ${fmt(bare.cpu)} µs CPU per request (${bare.rate.toFixed(0)} req/s) | — |`,
    );
    if (catchUp) {
      const { cpu } = catchUp;
      const ratio = (us: number | undefined) => (us === undefined ? '—' : (us / bare.cpu).toFixed(2));
      const pipeline = (cpu.enricher ?? 0) + (cpu.sink ?? 0);
      console.log(`| produce to clicks.raw | ${catchUp.produceRate.toFixed(0)} events/s | — |`);
      console.log(
        `| catch-up (${CATCHUP_EVENTS} events) | ${catchUp.rate.toFixed(0)} events/s | ≥ 30,000 events/s |`,
      );
      for (const name of ['enricher', 'sink', 'broker'] as const)
        console.log(
          `| CPU per event: ${name === 'sink' ? 'sink (+ idle api, ClickHouse embedded)' : name} | ${fmt(cpu[name])} µs (${ratio(cpu[name])} × bare) | — |`,
        );
      console.log(
        `| **(enricher + sink) CPU per event ÷ bare 302 CPU per request** | **${(pipeline / bare.cpu).toFixed(2)}** (${fmt(pipeline)} µs ÷ ${fmt(bare.cpu)} µs) | ≤ 2.0 |`,
      );
      console.log(`| peak RSS during catch-up | ${catchUp.rss} | — |`);
    }
    if (fresh) {
      console.log(
        `| freshness p50 (${fresh.sent} clicks at ${fresh.rate.toFixed(0)}/s) | ${fresh.p50} ms | — |`,
      );
      console.log(`| freshness p99 | ${fresh.p99} ms | ≤ 2,000 ms |`);
      console.log(`| redirect p99 during the run | ${fresh.redirectP99} ms | — |`);
    }
    console.log(`\nload average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after`);
  } finally {
    await broker?.stop();
  }
}

function clickEvent(i: number, slug: string): ClickEvent {
  return {
    click_id: randomUUID(),
    ts: Date.now(),
    slug,
    method: 'GET',
    ip: `${IPS[i % IPS.length]}${(i >> 3) & 255}`,
    user_agent: UAS[i % UAS.length] as string,
    referer: i % 2 ? 'https://news.example/today' : '',
    accept_language: 'en-GB,en;q=0.9',
    query: `n=${i}`,
    headers: { 'sec-fetch-mode': 'navigate' },
    link_found: true,
    destination: `https://example.com/${slug}?utm_source=bench`,
    visit_type: 'redirect',
    trigger: 'link',
    honeypot: false,
  };
}

/** The unit of the cost model: a bare Fastify 302's CPU per request, under autocannon -c 100 on these cores. */
async function measureBare(): Promise<{ cpu: number; rate: number }> {
  const port = await freePort();
  const child = await startChild(
    process.execPath,
    [...profileArgs(), '--import', 'tsx', 'scripts/bench/bare-server.ts', String(port)],
    {},
    /ready/,
  );
  try {
    const url = `http://127.0.0.1:${port}/x`;
    await measure('warmup', url, 2);
    const before = await snapshot({ bare: { pid: child.pid } });
    const m = await measure('bare', url, 10);
    const cpu =
      perEvent(before, await snapshot({ bare: { pid: child.pid } }), m.redirects).bare ?? Number.NaN;
    console.log(`bare Fastify 302: ${m.requestsPerSec.toFixed(0)} req/s, ${fmt(cpu)} µs CPU per request`);
    return { cpu, rate: m.requestsPerSec };
  } finally {
    await stopChild(child);
  }
}

/** Produces the backlog first, then starts the consumers and times the drain. */
async function measureCatchUp(brokers: string, broker: KafkaLocal | null) {
  const env = kafkaEnv(brokers, 'catchup');
  let store: Service | undefined;
  let enricher: Service | undefined;
  const config = loadConfig(env);
  const bus = new KafkaBus({
    config: config.kafka as NonNullable<typeof config.kafka>,
    logger: createLogger('warn'),
    topics: TOPIC_SPECS,
  });
  try {
    store = await startService('sink,api', env);
    const apiUrl = store.url(/api: +(\S+)/);
    const slug = 'catchup';
    await createLink(apiUrl, slug);
    const codecs = createCodecs();
    console.log(`catch-up: producing ${CATCHUP_EVENTS} clicks to clicks.raw…`);
    const produceStart = performance.now();
    for (let from = 0; from < CATCHUP_EVENTS; from += 1_000) {
      const batch = Array.from({ length: Math.min(1_000, CATCHUP_EVENTS - from) }, (_, i) => {
        const event = clickEvent(from + i, slug);
        return { key: Buffer.from(ipPrefix(event.ip)), value: codecs.clickEvent.encode(event) };
      });
      await bus.publish(TOPICS.clicksRaw, batch);
    }
    const produceRate = CATCHUP_EVENTS / ((performance.now() - produceStart) / 1000);
    console.log(`catch-up: produced at ${produceRate.toFixed(0)} events/s; starting the enricher`);
    const drainStart = performance.now();
    enricher = await startService('enricher', env);
    const processes = {
      enricher: { pid: enricher.child.pid, opsUrl: enricher.opsUrl },
      sink: { pid: store.child.pid, opsUrl: store.opsUrl },
      broker: { pid: broker?.pid },
    };
    const cpuBefore = await snapshot(processes);
    let stored = 0;
    while (stored < CATCHUP_EVENTS) {
      await new Promise((r) => setTimeout(r, 250));
      stored = await countClicks(apiUrl, slug);
      const s = (performance.now() - drainStart) / 1000;
      process.stdout.write(`\rcatch-up: ${stored}/${CATCHUP_EVENTS} rows after ${s.toFixed(1)} s`);
      if (s > 600) throw new Error('catch-up did not finish within 10 minutes');
    }
    const seconds = (performance.now() - drainStart) / 1000;
    console.log(`\ncatch-up: ${CATCHUP_EVENTS} rows in ${seconds.toFixed(2)} s (enricher start-up included)`);
    // CPU time per event and process: on a shared machine, what each stage costs decides the rate.
    const cpu = perEvent(cpuBefore, await snapshot(processes), CATCHUP_EVENTS);
    // A process's JS thread(s) against the rest (the embedded engine's threads, GC helpers, libuv).
    for (const name of ['enricher', 'sink'] as const) {
      const threads = Object.entries(cpu).filter(([k]) => k.startsWith(`${name}/`));
      const js = threads.reduce((sum, [, us]) => sum + us, 0);
      console.log(
        `catch-up: ${name} ${fmt(cpu[name])} µs per event: ${threads.map(([k, us]) => `${k} ${fmt(us)}`).join(', ')}, other threads ${fmt((cpu[name] ?? 0) - js)}`,
      );
    }
    const rss = Object.entries(processes)
      .map(([name, p]) => `${name} ${fmt(rssMb(p.pid)?.peak, 0)} MB`)
      .join(', ');
    return { rate: CATCHUP_EVENTS / seconds, produceRate, cpu, rss };
  } finally {
    await bus.close();
    await stopAll([enricher, store]);
  }
}

/** A steady rate through the redirect; freshness is inserted_at − ts, computed in ClickHouse. */
async function measureFreshness(brokers: string) {
  const env = kafkaEnv(brokers, 'fresh');
  let store: Service | undefined;
  let enricher: Service | undefined;
  let redirect: Service | undefined;
  try {
    store = await startService('sink,api', env);
    [enricher, redirect] = await Promise.all([startService('enricher', env), startService('redirect', env)]);
    const apiUrl = store.url(/api: +(\S+)/);
    const redirectUrl = redirect.url(/short links: (\S+)\/<slug>/);
    const slug = 'fresh';
    await createLink(apiUrl, slug);
    await new Promise((r) => setTimeout(r, 1_000));
    console.log(`freshness: ${RATE} clicks/s through the redirect for ${SECONDS} s…`);
    let connection = 0;
    const result = await autocannon({
      url: `${redirectUrl}/${slug}`,
      connections: 20,
      overallRate: RATE,
      duration: SECONDS,
      // One client address per connection: clicks spread over partitions as real traffic does.
      setupClient: (client) => {
        connection += 1;
        client.setHeaders({
          'x-forwarded-for': `${IPS[connection % IPS.length]}${connection}`,
          'user-agent': UAS[0] as string,
        });
      },
    });
    const sent = result['3xx'] ?? 0;
    console.log(
      `freshness: ${sent} redirects answered 3xx (${result.non2xx - sent} other non-2xx); waiting for rows…`,
    );
    const deadline = Date.now() + 120_000;
    while ((await countClicks(apiUrl, slug)) < sent) {
      if (Date.now() > deadline) throw new Error('not every click arrived within 2 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    const [q] = await sql<{ p50: number; p99: number }>(
      apiUrl,
      `SELECT round(quantileExact(0.5)(d)) AS p50, round(quantileExact(0.99)(d)) AS p99
         FROM (SELECT dateDiff('millisecond', ts, inserted_at) AS d FROM linktrack.clicks WHERE slug = '${slug}')`,
    );
    return {
      sent,
      rate: sent / SECONDS,
      p50: Number(q?.p50),
      p99: Number(q?.p99),
      redirectP99: result.latency.p99,
    };
  } finally {
    await stopAll([redirect, enricher]);
    await stopAll([store]);
  }
}

await main();
