// npm run bench:sink — the sink's per-row cost on the embedded engine, before and after, side by side:
//   objects:  decode → row object (toRow) → @clickhouse/client insert, JSONEachRow (the former path);
//   raw TSV:  decode → TabSeparated line from the contract → chDB raw insert (the sink's path).
// Both carry an insert_deduplication_token. CPU is the whole process's (the engine parses on its own threads).
// The rows vary like real traffic (thousands of links, user agents, networks, referrers, ad click ids), so the
// table's compression printed at the end (system.columns, after a merge) is the one docs/capacity.md sizes with.
//   raw TSV, no views: the same into a twin of linktrack.clicks without its materialized views.
// Options: BENCH_ROWS (100000), BENCH_BATCH (5000, the sink's batch), BENCH_ROUNDS (3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@linktrack/store';
import { createCodecs, STREAMS, tsvRowWriter } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { randomClicks } from './bench/traffic.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const store = await openStore({
  url: null,
  dataDir: mkdtempSync(join(tmpdir(), 'lt-bench-sink-')),
  logger: createLogger('silent'),
});
const codec = createCodecs().enrichedClick;
const table = STREAMS.clicksEnriched.table as NonNullable<typeof STREAMS.clicksEnriched.table>;
const writer = tsvRowWriter(STREAMS.clicksEnriched.schema, table);
const encoded = randomClicks(ROWS).map((c) => codec.encode(c));

// The same table without the materialized views that read linktrack.clicks (attribution, hourly
// rollup, scanner clients): what those views add to each insert is the difference.
const BARE = 'linktrack.clicks_without_views';
await store.client.command({ query: `CREATE TABLE ${BARE} AS ${table.name}` });
const tsvInsert = (target: string) => async (batch: Buffer[], token: string) => {
  const lines = batch.map((b) => writer.line(codec.decode(b)));
  const body = Buffer.from(`${lines.join('\n')}\n`);
  await store.insertTsv({ table: target, columns: writer.columns, body, token });
};
const targets: Record<string, string> = { 'raw TSV, no views': BARE };

const paths: Record<string, (batch: Buffer[], token: string) => Promise<void>> = {
  objects: async (batch, token) => {
    await store.client.insert({
      table: table.name,
      values: batch.map((b) => table.toRow(codec.decode(b))),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: token },
    });
  },
  'raw TSV': tsvInsert(table.name),
  'raw TSV, no views': tsvInsert(BARE),
};

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const results = new Map<string, { wall: number; cpu: number }[]>();
for (let round = 1; round <= ROUNDS; round++) {
  const line: string[] = [];
  for (const [name, insert] of Object.entries(paths)) {
    const target = targets[name] ?? table.name;
    await store.client.command({ query: `TRUNCATE TABLE ${target}` });
    const wall0 = performance.now();
    const cpu0 = cpuSeconds();
    for (let from = 0; from < ROWS; from += BATCH)
      await insert(encoded.slice(from, from + BATCH), `${name}-${round}-${from}`);
    const wall = ((performance.now() - wall0) * 1_000) / ROWS;
    const cpu = ((cpuSeconds() - cpu0) * 1e6) / ROWS;
    const stored = await store.client.query({
      query: `SELECT count() AS n FROM ${target}`,
      format: 'JSONEachRow',
    });
    const n = Number((await stored.json<{ n: string }>())[0]?.n);
    if (n !== ROWS) throw new Error(`${name}: ${n} rows stored, expected ${ROWS}`);
    results.set(name, [...(results.get(name) ?? []), { wall, cpu }]);
    line.push(`${name} ${cpu.toFixed(1)} µs CPU/row`);
  }
  console.log(`round ${round}/${ROUNDS}: ${line.join('  ')}`);
}

// Compression as stored at rest: the last round's rows, merged into one part.
await store.client.command({ query: 'OPTIMIZE TABLE linktrack.clicks FINAL' });
const columns = await (
  await store.client.query({
    query: `SELECT name, data_compressed_bytes AS c, data_uncompressed_bytes AS u FROM system.columns
             WHERE database = 'linktrack' AND table = 'clicks' ORDER BY c DESC`,
    format: 'JSONEachRow',
  })
).json<{ name: string; c: string; u: string }>();
const [parts] = await (
  await store.client.query({
    query: `SELECT sum(rows) AS rows, count() AS parts, sum(bytes_on_disk) AS disk FROM system.parts
             WHERE database = 'linktrack' AND table = 'clicks' AND active`,
    format: 'JSONEachRow',
  })
).json<{ rows: string; parts: string; disk: string }>();
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

const stored = Number(parts?.rows);
const compressed = columns.reduce((sum, c) => sum + Number(c.c), 0);
const uncompressed = columns.reduce((sum, c) => sum + Number(c.u), 0);
console.log(
  `\nclicks table at rest (${stored} rows, ${parts?.parts} part): ${(compressed / stored).toFixed(1)} bytes/row compressed, ` +
    `${(uncompressed / stored).toFixed(1)} uncompressed (${(uncompressed / compressed).toFixed(1)}×), ` +
    `${(Number(parts?.disk) / stored).toFixed(1)} bytes/row on disk with marks and indexes`,
);
console.log(
  `largest columns (bytes/row compressed): ${columns
    .slice(0, 8)
    .map((c) => `${c.name} ${(Number(c.c) / stored).toFixed(1)}`)
    .join(', ')}`,
);
