// npm run bench:overload — the embedded stack flooded at full speed, then left to catch up.
//   1. a bare Fastify 302 for a few seconds: the machine's baseline (req/s, CPU µs per request);
//   2. the flood: autocannon -c 100 against one link for BENCH_FLOOD_SECONDS (20) at full speed,
//      as a fixed number of requests sized from a short probe, so that every request is answered
//      and counted (a timed run abandons the requests in flight when it ends);
//   3. the catch-up: time until every click is a row.
// Nothing may be lost: rows = 3xx answered = requests the redirect counted, click ids distinct,
// no drop counted. Prints peak RSS (kernel high-water mark and sampled), the spool's and the
// bus's peaks, and CPU µs per click of each thread during the flood and the catch-up.
// Options: BENCH_FLOOD_SECONDS (20), BENCH_QUIET_LOAD (wait for the 1-minute load to drop below it).
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fmt, metricValue, perEvent, quietMachine, rssMb, snapshot, valueIn } from './bench/cost.js';
import { freePort, measure, startChild, stopChild } from './bench/harness.js';
import { API_KEY, createLink, OPS_URL, sql } from './bench/pipeline-harness.js';

const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 20);
const CONNECTIONS = 100;

async function main() {
  const quiet = process.env.BENCH_QUIET_LOAD;
  const loadBefore = quiet ? await quietMachine(Number(quiet)) : (loadavg()[0] as number);

  // 1. The baseline, on the same machine in the same run.
  const barePort = await freePort();
  const bareChild = await startChild(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/bare-server.ts', String(barePort)],
    {},
    /ready/,
  );
  await measure('warmup', `http://127.0.0.1:${barePort}/x`, 2);
  const bareBefore = await snapshot({ bare: { pid: bareChild.pid } });
  const bare = await measure('bare', `http://127.0.0.1:${barePort}/x`, 5);
  const bareCpu = perEvent(bareBefore, await snapshot({ bare: { pid: bareChild.pid } }), bare.redirects).bare;
  await stopChild(bareChild);
  console.log(
    `bare Fastify 302: ${bare.requestsPerSec.toFixed(0)} req/s, ${fmt(bareCpu)} µs CPU per request`,
  );

  // 2. The embedded stack.
  const [redirectPort, apiPort] = [await freePort(), await freePort()];
  const child = await startChild(
    process.execPath,
    ['bin/linktrack.mjs', 'start'],
    {
      LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-overload-')),
      LINKTRACK_REDIRECT_PORT: String(redirectPort),
      LINKTRACK_API_PORT: String(apiPort),
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_API_KEY: API_KEY,
      LINKTRACK_LOG_LEVEL: 'warn',
    },
    /transport:/,
  );
  const opsUrl = OPS_URL.exec((child as { startupOutput?: string }).startupOutput ?? '')?.[1] as string;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const pid = child.pid as number;
  const target = { linktrack: { pid, opsUrl } };
  try {
    await createLink(apiUrl, 'warm');
    await createLink(apiUrl, 'flood');
    const probe = await measure('probe', `http://127.0.0.1:${redirectPort}/warm`, 3);
    await rowsFor(apiUrl, 'warm', probe.redirects, 120_000);
    const amount = Math.max(CONNECTIONS, Math.round(probe.requestsPerSec * FLOOD_SECONDS));
    console.log(
      `probe: ${probe.requestsPerSec.toFixed(0)} req/s; flooding with ${amount} requests (~${FLOOD_SECONDS} s)…`,
    );

    const served0 = await metricValue(opsUrl, 'linktrack_redirect_requests_total', 'outcome="found"');
    const dropped0 = await metricValue(opsUrl, 'linktrack_redirect_events_dropped_total');
    const peaks = { rss: 0, spool: 0, bus: 0, buffered: 0 };
    // Once a second, one scrape: sampling costs the process too.
    const sampler = setInterval(() => void sample(opsUrl, pid, peaks), 1_000);
    const before = await snapshot(target);
    const floodStart = performance.now();
    const result = await autocannon({
      url: `http://127.0.0.1:${redirectPort}/flood`,
      connections: CONNECTIONS,
      pipelining: 1,
      amount,
    });
    const floodSeconds = (performance.now() - floodStart) / 1000;
    const afterFlood = await snapshot(target);
    const answered = result['3xx'] ?? 0;
    const rate = answered / floodSeconds;
    console.log(
      `flood: ${answered} redirects in ${floodSeconds.toFixed(1)} s (${rate.toFixed(0)} req/s), ${result.non2xx - answered} other non-2xx, ${result.errors} errors, p99 ${result.latency.p99} ms`,
    );
    const floodPeaks = { ...peaks };

    // 3. The catch-up.
    const caughtUp = await rowsFor(apiUrl, 'flood', answered, 600_000, (rows, s) =>
      process.stdout.write(`\rcatch-up: ${rows}/${answered} rows after ${s.toFixed(1)} s`),
    );
    clearInterval(sampler);
    const done = await snapshot(target);
    console.log('');
    const served =
      (await metricValue(opsUrl, 'linktrack_redirect_requests_total', 'outcome="found"')) - served0;
    const dropped = (await metricValue(opsUrl, 'linktrack_redirect_events_dropped_total')) - dropped0;
    const [stored] = await sql<{ rows: string; ids: string }>(
      apiUrl,
      "SELECT count() AS rows, uniqExact(click_id) AS ids FROM linktrack.clicks WHERE slug = 'flood'",
    );
    const rows = Number(stored?.rows);
    const ids = Number(stored?.ids);
    const flood = perEvent(before, afterFlood, answered);
    const catchUp = perEvent(afterFlood, done, answered);
    const rss = rssMb(pid);

    console.log('\n| figure | measured |\n|---|---:|');
    console.log(
      `| bare Fastify 302 | ${bare.requestsPerSec.toFixed(0)} req/s, ${fmt(bareCpu)} µs CPU/request |`,
    );
    console.log(
      `| flood (embedded, full pipeline yielding) | ${rate.toFixed(0)} req/s for ${floodSeconds.toFixed(1)} s |`,
    );
    console.log(`| flood ÷ bare | ${(rate / bare.requestsPerSec).toFixed(2)} |`);
    console.log(
      `| catch-up after the flood | ${caughtUp.toFixed(1)} s (${(answered / caughtUp).toFixed(0)} clicks/s drained) |`,
    );
    console.log(
      `| 3xx answered / counted by the redirect / rows / distinct click ids | ${answered} / ${served} / ${rows} / ${ids} |`,
    );
    console.log(`| clicks dropped (linktrack_redirect_events_dropped_total) | ${dropped} |`);
    console.log(
      `| peak RSS: kernel high-water mark / sampled during flood / during catch-up | ${fmt(rss?.peak, 0)} / ${fmt(floodPeaks.rss, 0)} / ${fmt(peaks.rss, 0)} MB |`,
    );
    console.log(
      `| peak spool / bus pending (clicks.raw) / redirect buffer | ${fmt(peaks.spool / 1048576)} MB / ${peaks.bus} / ${peaks.buffered} clicks |`,
    );
    console.log(
      `| CPU µs per click during the flood: process / redirect thread / main thread | ${fmt(flood.linktrack)} / ${fmt(flood['linktrack/redirect'])} / ${fmt(flood['linktrack/main'])} |`,
    );
    console.log(
      `| CPU µs per click during the catch-up: process / redirect thread / main thread | ${fmt(catchUp.linktrack)} / ${fmt(catchUp['linktrack/redirect'])} / ${fmt(catchUp['linktrack/main'])} |`,
    );
    console.log(`\nload average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0]?.toFixed(2)} after`);
    const lost = rows !== answered || ids !== answered || served !== answered || dropped !== 0;
    if (lost) {
      console.error('\nFAILED: rows, click ids and answers differ, or clicks were dropped');
      process.exitCode = 1;
    } else console.log('\nnothing lost: every answered redirect is exactly one row');
  } finally {
    await stopChild(child);
  }
}

async function sample(
  opsUrl: string,
  pid: number,
  peaks: { rss: number; spool: number; bus: number; buffered: number },
) {
  peaks.rss = Math.max(peaks.rss, rssMb(pid)?.now ?? 0);
  try {
    const text = await (await fetch(`${opsUrl}/metrics`)).text();
    peaks.spool = Math.max(peaks.spool, valueIn(text, 'linktrack_redirect_spool_bytes'));
    peaks.bus = Math.max(peaks.bus, valueIn(text, 'linktrack_bus_pending_messages', 'clicks.raw'));
    peaks.buffered = Math.max(peaks.buffered, valueIn(text, 'linktrack_redirect_events_buffered'));
  } catch {
    // A scrape that lost the race with shutdown.
  }
}

/** Waits until `slug` has `expected` rows; returns the seconds it took. */
async function rowsFor(
  apiUrl: string,
  slug: string,
  expected: number,
  timeoutMs: number,
  progress?: (rows: number, seconds: number) => void,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [row] = await sql<{ n: string }>(
      apiUrl,
      `SELECT count() AS n FROM linktrack.clicks WHERE slug = '${slug}'`,
    );
    const rows = Number(row?.n ?? 0);
    const seconds = (performance.now() - started) / 1000;
    progress?.(rows, seconds);
    if (rows >= expected) return seconds;
    if (seconds * 1000 > timeoutMs)
      throw new Error(`${slug}: ${rows} of ${expected} rows after ${seconds.toFixed(0)} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

await main();
