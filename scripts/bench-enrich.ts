// npm run bench:enrich — the enricher's pipeline (decode, validate, enrich with every bot signal
// on, burst, encode) on one core, in-process: no bus, no ClickHouse. Two figures:
//   warm: clicks whose user agents, networks, destinations and referrers repeat, as real traffic
//         does, after a pass that filled the caches;
//   cold: a fresh context (empty caches) and clicks whose user agent and address are all new.
// Events/s per core is events per CPU second (user + system) of this process; the wall-clock
// rate is printed beside it. Options: BENCH_EVENTS (per pass, 60000), BENCH_PASSES (3), BENCH_BATCH (2000),
// BENCH_ONLY (warm or cold).
import { bundledAsnPaths, bundledGeoipPaths } from '@linktrack/config';
import {
  createEnrichContext,
  createEnrichPipeline,
  createUserAgentParser,
  type EnrichContext,
  openAsnLookup,
  openGeoLookup,
} from '@linktrack/enricher';
import { type ClickEvent, createCodecs } from '@linktrack/streams';
import { createMetrics } from '@linktrack/telemetry';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const START = Date.UTC(2026, 10, 24, 8);

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 337.0.3.23.54 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 616407542)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  'curl/8.5.0',
];
const NETWORKS = [
  '73.12',
  '86.130',
  '79.200',
  '90.10',
  '49.36',
  '172.56',
  '66.159',
  '40.107',
  '3.89',
  '172.224',
];
const REFERRERS = [
  '',
  '',
  'https://mail.google.com/',
  'https://t.co/x',
  'https://www.google.com/',
  'https://nam12.safelinks.protection.outlook.com/',
];
const HEADERS = [
  { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'document' },
  { 'sec-fetch-mode': 'navigate', 'sec-ch-ua-mobile': '?1', 'sec-ch-ua-platform': '"Android"' },
  {},
  { 'sec-purpose': 'prefetch' },
];

function click(i: number, pass: number, cold: boolean): ClickEvent {
  const n = pass * EVENTS + i;
  const ua = UAS[i % UAS.length] as string;
  return {
    click_id: `01936f6e-8c1a-7b2e-9f00-${String(n).padStart(12, '0')}`,
    ts: START + pass * 600_000 + Math.floor((i * 600_000) / EVENTS),
    slug: `s${i % 100}`,
    method: i % 50 === 0 ? 'HEAD' : 'GET',
    ip: cold
      ? `${10 + (n % 200)}.${(n >> 8) & 255}.${n & 255}.${(n >> 16) & 255}`
      : `${NETWORKS[i % NETWORKS.length]}.${(i >> 4) & 255}.${(i * 7) & 255}`,
    // Cold: every user agent new (a build number nobody else has).
    user_agent: cold ? `${ua} Build/${n}` : ua,
    referer: REFERRERS[i % REFERRERS.length] as string,
    accept_language: i % 9 === 0 ? '' : 'en-US,en;q=0.9',
    query: i % 7 === 0 ? 'gclid=abc' : '',
    headers: HEADERS[i % HEADERS.length] as Record<string, string>,
    link_found: true,
    destination: `https://shop.example/p${i % 100}?utm_source=newsletter&utm_medium=email&utm_campaign=c${i % 10}`,
    visit_type: 'redirect',
    trigger: 'link',
    honeypot: false,
  };
}

async function newContext(): Promise<EnrichContext> {
  return createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser(), {
    asn: openAsnLookup(bundledAsnPaths()),
    visitorSecret: 'bench-visitor-secret',
    ownHosts: ['sho.rt'],
  });
}

const codecs = createCodecs();
const encode = (pass: number, cold: boolean) =>
  Array.from({ length: EVENTS }, (_, i) => codecs.clickEvent.encode(click(i, pass, cold)));

/** Runs the passes through one pipeline; returns events per CPU second and per wall second. */
function measure(
  context: EnrichContext,
  passes: Buffer[][],
): { perCpu: number; perWall: number; steps: Promise<string> } {
  const metrics = createMetrics();
  const pipeline = createEnrichPipeline({ codecs, context, metrics, now: () => START + 86_400_000 });
  let events = 0;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (const pass of passes) {
    for (let i = 0; i < pass.length; i += BATCH) {
      const { values, failed } = pipeline.run(pass.slice(i, i + BATCH), (b) => b);
      if (failed.length > 0) throw new Error(`${failed.length} events failed: ${failed[0]?.reason}`);
      events += values.length;
    }
  }
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return {
    perCpu: events / cpuSeconds,
    perWall: events / ((performance.now() - wall) / 1_000),
    steps: stepShares(metrics, events),
  };
}

/** Microseconds per event in each step, from the pipeline's own per-batch histogram. */
async function stepShares(metrics: ReturnType<typeof createMetrics>, events: number): Promise<string> {
  const { values } = await metrics.pipelineStepDuration.get();
  return values
    .filter((v) => v.metricName?.endsWith('_sum'))
    .map((v) => `${v.labels.step} ${((v.value / events) * 1e6).toFixed(2)} µs`)
    .join(', ');
}

async function main() {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `bench:enrich — ${EVENTS} events per pass, ${PASSES} passes, batches of ${BATCH}, every signal on`,
  );
  // Warm: one pass fills the caches, then the measured passes (later times: bursts stay realistic).
  const only = process.env.BENCH_ONLY;
  let warm = null;
  if (only !== 'cold') {
    const warmContext = await newContext();
    measure(warmContext, [encode(0, false)]);
    const warmPasses = Array.from({ length: PASSES }, (_, p) => encode(p + 1, false));
    warm = measure(warmContext, warmPasses);
  }
  // Cold: fresh caches, and nothing repeats.
  let cold = null;
  if (only !== 'warm') {
    const coldPasses = Array.from({ length: PASSES }, (_, p) => encode(p, true));
    cold = measure(await newContext(), coldPasses);
  }
  console.log('\n| caches | events/s per core (CPU time) | events/s (wall) | goal |\n|---|---:|---:|---:|');
  if (warm) console.log(`| warm | ${fmt(warm.perCpu)} | ${fmt(warm.perWall)} | ≥ 100,000 per core |`);
  if (cold) console.log(`| cold | ${fmt(cold.perCpu)} | ${fmt(cold.perWall)} | — |`);
  if (warm) console.log(`\nper event, warm: ${await warm.steps}`);
  if (cold) console.log(`per event, cold: ${await cold.steps}`);
}

await main();
