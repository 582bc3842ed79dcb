// npm run bench:query — the analytics api's queries on a realistic table, on the embedded engine.
// In a temp data dir: 10,000,000 clicks (3% bots, 200 slugs in 20 campaigns, 8 sources, 5 mediums, 30 countries,
// 4 device types, over 60 days; 30% of people's clicks confirmed by the landing page) and 200,000 conversions
// (1-3 touches on existing clicks, 5% on unknown ones), made inside the engine with INSERT … SELECT FROM numbers(),
// then OPTIMIZE … FINAL. It then times summary, breakdown by utm_campaign, timeseries by day and the funnel
// click,signup,purchase by utm_campaign over the whole 60 days, each built by the api's own query builder
// (services/api/src/analytics/query-builder.ts) and run through the store's analytics reader, as the routes do
// (no HTTP: the route's own work is a few object copies). The goal: p50 ≤ 300 ms.
// Options: BENCH_CLICKS (10000000), BENCH_CONVERSIONS (200000), BENCH_RUNS (10), BENCH_QUIET_LOAD,
// BENCH_DATA_DIR (a data dir to keep: generated on the first run, reused by later ones with the same sizes).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyticsQueries as Q } from '@linktrack/api';
import { openStore } from '@linktrack/store';
import { createLogger } from '@linktrack/telemetry';
import { quietMachine } from './bench/cost.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 10_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const GOAL_MS = 300;
const DAY = 86_400_000;
const START = Date.UTC(2026, 8, 1);
const SPAN = 60 * DAY;

const keep = process.env.BENCH_DATA_DIR;
if (keep && !existsSync(keep)) mkdirSync(keep, { recursive: true });
const dir = keep ?? mkdtempSync(join(tmpdir(), 'lt-bench-query-'));
const store = await openStore({ url: null, dataDir: dir, logger: createLogger('silent') });
const run = (query: string) => store.client.command({ query });
const elapsed = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// The i-th click's id and time, as SQL of n: conversions recompute them to touch existing clicks.
const idOf = (n: string) => `toUUID(concat('01936f6e-8c1a-7b2e-9f00-', leftPad(toString(${n}), 12, '0')))`;
const tsOf = (n: string) =>
  `fromUnixTimestamp64Milli(toInt64(${START} + sipHash64(${n}, 'ts') % ${SPAN}), 'UTC')`;
const pick = (values: string[], index: string) => `[${values.map((v) => `'${v}'`).join(',')}][1 + ${index}]`;
const COUNTRIES =
  'US,GB,DE,FR,IN,BR,CA,AU,ES,IT,NL,SE,PL,JP,MX,AR,ZA,NG,KR,TR,BE,CH,AT,DK,NO,FI,IE,PT,NZ,SG'.split(',');
const SOURCES = ['google', 'facebook', 'newsletter', 'instagram', 'linkedin', 'twitter', 'tiktok', 'partner'];
const MEDIUMS = ['cpc', 'social', 'email', 'display', 'referral'];

async function generate() {
  const t0 = performance.now();
  const batch = 1_000_000;
  for (let from = 0; from < CLICKS; from += batch) {
    const size = Math.min(batch, CLICKS - from);
    // Skewed: a few slugs and countries get most clicks (u² over the range).
    await run(`INSERT INTO linktrack.clicks (click_id, ts, slug, destination, method, link_found, utm_source, utm_medium,
        utm_campaign, utm_term, utm_content, referrer_domain, referrer_medium, country, region, device_type, os, browser,
        is_bot, bot_reason, bot_signals, visit_type, trigger, visitor_hash)
      SELECT ${idOf('n')} AS click_id, ${tsOf('n')} AS ts,
        concat('s', toString(s)), concat('https://shop.example/p', toString(s)), 'GET', 1,
        ${pick(SOURCES, 's % 8')}, ${pick(MEDIUMS, 's % 5')}, concat('campaign-', toString(s % 20)),
        '', concat('v', toString(s % 3)),
        ${pick(['', 'google.com', 'facebook.com', 'news.example'], "sipHash64(n, 'ref') % 4")},
        ${pick(['direct', 'search', 'social', 'email'], "sipHash64(n, 'ref') % 4")},
        ${pick(COUNTRIES, "toUInt32(pow((sipHash64(n, 'geo') % 10000) / 10000, 2) * 30)")}, '',
        if(bot, 'bot', ${pick(['desktop', 'mobile', 'mobile', 'tablet', 'other'], "sipHash64(n, 'dev') % 5")}),
        ${pick(['Windows', 'macOS', 'iOS', 'Android', 'Linux'], "sipHash64(n, 'os') % 5")},
        ${pick(['Chrome', 'Safari', 'Firefox', 'Edge'], "sipHash64(n, 'br') % 4")},
        bot,
        if(bot, ${pick(['bot_ua', 'datacenter', 'scanner'], "sipHash64(n, 'why') % 3")}, ''),
        if(bot AND sipHash64(n, 'why') % 50 = 0, ['burst'], []),
        if(sipHash64(n, 'vt') % 200 = 0, 'expired', 'redirect'),
        if(sipHash64(n, 'qr') % 10 = 0, 'qr', 'link'),
        lower(hex(sipHash64(sipHash64(n, 'who') % 3000000)))
      FROM (
        SELECT n, toUInt32(pow((sipHash64(n, 'slug') % 10000) / 10000, 2) * 200) AS s,
          sipHash64(n, 'bot') % 100 < 3 AS bot
        FROM (SELECT number + ${from} AS n FROM numbers(${size}))
      )`);
    console.log(`clicks: ${(from + size).toLocaleString()} / ${CLICKS.toLocaleString()} (${elapsed(t0)})`);
  }
  await run(`INSERT INTO linktrack.click_confirmations (click_id, ts, source)
    SELECT ${idOf('n')}, ${tsOf('n')} + toIntervalMillisecond(800 + sipHash64(n, 'land') % 4000), 'browser'
    FROM (SELECT number AS n FROM numbers(${CLICKS})) WHERE sipHash64(n, 'land') % 10 < 3`);
  console.log(`landing confirmations: done (${elapsed(t0)})`);
  const cbatch = 50_000;
  for (let from = 0; from < CONVERSIONS; from += cbatch) {
    const size = Math.min(cbatch, CONVERSIONS - from);
    // Touches: 1-3 clicks; 5% of conversions name a click id that does not exist.
    await run(`INSERT INTO linktrack.conversions (conversion_id, click_id, touches, event, value, currency, source, trust, ts, received_at)
      SELECT concat('cv', toString(n)) AS conversion_id, touches[-1], touches,
        if(sipHash64(n, 'ev') % 10 < 6, 'signup', 'purchase') AS event,
        if(event = 'purchase', toDecimal64((5 + sipHash64(n, 'val') % 49500) / 100, 4), toDecimal64(0, 4)),
        'EUR', 'server', 2, at, at
      FROM (
        SELECT n,
          arrayMap(k -> if(sipHash64(n, 'unknown') % 20 = 0, ${CLICKS} + n * 3 + k, sipHash64(n, k) % ${CLICKS}),
                   range(1 + sipHash64(n, 'touches') % 3)) AS ks,
          arrayMap(k -> ${idOf('k')}, ks) AS touches,
          arrayMax(arrayMap(k -> ${tsOf('k')}, ks)) + toIntervalSecond(sipHash64(n, 'delay') % 259200) AS at
        FROM (SELECT number + ${from} AS n FROM numbers(${size}))
      )`);
    console.log(
      `conversions: ${(from + size).toLocaleString()} / ${CONVERSIONS.toLocaleString()} (${elapsed(t0)})`,
    );
  }
  for (const table of [
    'clicks',
    'click_confirmations',
    'scanner_clients',
    'conversions',
    'conversion_touches',
    'attributed_conversions',
  ]) {
    await run(`OPTIMIZE TABLE linktrack.${table} FINAL`);
  }
  console.log(`optimized (${elapsed(t0)})`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const stored = async () => {
  const [row] = await store.reader.rows<{ clicks: number; conversions: number }>(
    'SELECT (SELECT count() FROM linktrack.clicks) AS clicks, (SELECT count() FROM linktrack.conversions) AS conversions',
    {},
  );
  return row;
};
const before = await stored();
if (before?.clicks === CLICKS && before.conversions === CONVERSIONS)
  console.log(`reusing the data in ${dir}`);
else {
  if (before && before.clicks + before.conversions > 0)
    throw new Error(`${dir} holds other data: use an empty dir`);
  await generate();
}
const [counts] = await store.reader.rows<Record<string, number>>(
  `SELECT (SELECT count() FROM linktrack.clicks) AS clicks, (SELECT count() FROM linktrack.conversions) AS conversions,
     (SELECT count() FROM linktrack.attributed_conversions) AS touches_found`,
  {},
);
console.log('rows:', counts);

const scope: Q.Scope = {
  range: { fromMs: START, toMs: START + SPAN },
  filters: {},
  model: 'last',
  windowDays: 30,
  includeBots: false,
};
const queries: Record<string, Q.BuiltQuery> = {
  summary: Q.summaryQuery(scope),
  'breakdown utm_campaign': Q.breakdownQuery(scope, 'utm_campaign', 50),
  'timeseries day': Q.timeseriesQuery(scope, 'day'),
  'funnel click,signup,purchase by utm_campaign': Q.funnelQuery(scope, {
    steps: ['click', 'signup', 'purchase'],
    windowSeconds: 7 * 86_400,
    groupBy: 'utm_campaign',
  }),
};

const quiet = process.env.BENCH_QUIET_LOAD;
if (quiet) await quietMachine(Number(quiet));
console.log(`\n${RUNS} runs each over 60 days, after one warm-up; load average ${loadavg()[0]?.toFixed(2)}`);
console.log(
  `${'query'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  goal p50 ≤ ${GOAL_MS} ms`,
);
for (const [name, { sql, params }] of Object.entries(queries)) {
  const first = await store.reader.rows(sql, params);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await store.reader.rows(sql, params);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  console.log(
    `${name.padEnd(46)} ${p50.toFixed(0).padStart(8)} ${percentile(times, 95).toFixed(0).padStart(8)}  ${
      p50 <= GOAL_MS ? 'ok' : 'MISSED'
    }  (${first.length} rows)`,
  );
}
await store.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
