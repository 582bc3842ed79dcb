// npm run bench:sink — the sink's per-row cost on the embedded engine, before and after, side by side:
//   objects:  decode → row object (toRow) → @clickhouse/client insert, JSONEachRow (the former path);
//   raw TSV:  decode → TabSeparated line from the contract → chDB raw insert (the sink's path).
// Both carry an insert_deduplication_token. CPU is the whole process's (the engine parses on its own threads).
// Options: BENCH_ROWS (100000), BENCH_BATCH (5000, the sink's batch), BENCH_ROUNDS (3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@linktrack/store';
import { createCodecs, type EnrichedClick, STREAMS, tsvRowWriter } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { enrichedClick } from '@linktrack/test-support';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const store = await openStore({
  url: null,
  dataDir: mkdtempSync(join(tmpdir(), 'lt-bench-sink-')),
  logger: createLogger('silent'),
});
const codec = createCodecs().enrichedClick;
const table = STREAMS.clicksEnriched.table as NonNullable<typeof STREAMS.clicksEnriched.table>;
const writer = tsvRowWriter(STREAMS.clicksEnriched.schema, table);
const encoded = Array.from({ length: ROWS }, (_, i) =>
  codec.encode({
    ...enrichedClick(i, `s${i % 50}`),
    ts: Date.now() - i,
    user_agent: UA,
    query: `n=${i}&utm_x=y`,
    referrer: i % 2 ? 'https://news.example/today' : '',
    bot_signals: i % 3 ? [] : ['ua_bot', 'dc_asn'],
  } satisfies EnrichedClick),
);

const paths: Record<string, (batch: Buffer[], token: string) => Promise<void>> = {
  objects: async (batch, token) => {
    await store.client.insert({
      table: table.name,
      values: batch.map((b) => table.toRow(codec.decode(b))),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token },
    });
  },
  'raw TSV': async (batch, token) => {
    const lines = batch.map((b) => writer.line(codec.decode(b)));
    const body = Buffer.from(`${lines.join('\n')}\n`);
    await store.insertTsv({ table: table.name, columns: writer.columns, body, token });
  },
};

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const results = new Map<string, { wall: number; cpu: number }[]>();
for (let round = 1; round <= ROUNDS; round++) {
  const line: string[] = [];
  for (const [name, insert] of Object.entries(paths)) {
    await store.client.command({ query: 'TRUNCATE TABLE linktrack.clicks' });
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    for (let from = 0; from < ROWS; from += BATCH)
      await insert(encoded.slice(from, from + BATCH), `${name}-${round}-${from}`);
    const wall = ((performance.now() - wall0) * 1_000) / ROWS;
    const cpu = ((cpuSeconds() - cpu0) * 1e6) / ROWS;
    const stored = await store.client.query({
      query: 'SELECT count() AS n FROM linktrack.clicks',
      format: 'JSONEachRow',
    });
    const n = Number((await stored.json<{ n: string }>())[0]?.n);
    if (n !== ROWS) throw new Error(`${name}: ${n} rows stored, expected ${ROWS}`);
    results.set(name, [...(results.get(name) ?? []), { wall, cpu }]);
    line.push(`${name} ${cpu.toFixed(1)} µs CPU/row`);
  }
  console.log(`round ${round}/${ROUNDS}: ${line.join('  ')}`);
}
await store.close();

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const base = mean((results.get('objects') ?? []).map((r) => r.cpu));
console.log(
  `\n${ROWS} clicks rows in batches of ${BATCH}, ${ROUNDS} rounds, load ${(await import('node:os')).loadavg()[0]?.toFixed(2)}`,
);
console.log('| path | CPU µs/row | wall µs/row | CPU ratio to objects |\n|---|---:|---:|---:|');
for (const [name, runs] of results) {
  const cpu = mean(runs.map((r) => r.cpu));
  console.log(
    `| ${name} | ${cpu.toFixed(1)} | ${mean(runs.map((r) => r.wall)).toFixed(1)} | ${(cpu / base).toFixed(2)} |`,
  );
}
