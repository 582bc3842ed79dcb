// npm run bench:redirect — the redirect on the embedded stack against a bare
// Fastify 302, measured alternately in one run so machine noise hits both.
// Options: BENCH_SECONDS (per round, default 10), BENCH_ROUNDS (default 3).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { average, freePort, type Measured, measure, startChild, stopChild } from './bench/harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const API_KEY = 'bench-key-0123456789abcdef';

async function main() {
  const [barePort, redirectPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  console.log(`bench:redirect — ${ROUNDS} rounds × ${SECONDS}s each, autocannon -c 100 -p 1`);
  const bare = await startChild(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/bare-server.ts', String(barePort)],
    {},
    /ready/,
  );
  const stack = await startChild(
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
  try {
    await createLink(apiPort);
    const bareUrl = `http://127.0.0.1:${barePort}/bench`;
    const stackUrl = `http://127.0.0.1:${redirectPort}/bench`;
    console.log('warming up…');
    await measure('warmup', bareUrl, 2);
    await measure('warmup', stackUrl, 2);
    const runs: Record<string, Measured[]> = { bare: [], embedded: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      runs.bare?.push(await measure('bare fastify 302', bareUrl, SECONDS));
      runs.embedded?.push(await measure('linktrack embedded', stackUrl, SECONDS));
      console.log(
        `round ${round}/${ROUNDS}: bare ${fmt(runs.bare?.at(-1))}  embedded ${fmt(runs.embedded?.at(-1))}`,
      );
    }
    const b = average(runs.bare ?? []);
    const e = average(runs.embedded ?? []);
    const rows = await countRows(apiPort);
    console.log('\n| target | req/s | p99 ms | non-3xx |\n|---|---:|---:|---:|');
    for (const m of [b, e])
      console.log(`| ${m.name} | ${m.requestsPerSec.toFixed(0)} | ${m.p99Ms.toFixed(1)} | ${m.non3xx} |`);
    console.log(
      `\nratio (embedded / bare req/s): ${(e.requestsPerSec / b.requestsPerSec).toFixed(2)}  (goal ≥ 0.70)`,
    );
    console.log(`p99 ratio (embedded / bare): ${(e.p99Ms / b.p99Ms).toFixed(2)}`);
    console.log(`clicks stored in linktrack.clicks so far: ${rows}`);
  } finally {
    await Promise.all([stopChild(bare), stopChild(stack)]);
  }
}

function fmt(m: Measured | undefined): string {
  return m ? `${m.requestsPerSec.toFixed(0)} req/s p99 ${m.p99Ms} ms` : '-';
}

async function createLink(apiPort: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/v1/links`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      url: 'https://example.com/landing',
      slug: 'bench',
      utm: { source: 'bench', medium: 'cpc', campaign: 'load' },
    }),
  });
  if (res.status !== 201) throw new Error(`creating the link failed: ${res.status} ${await res.text()}`);
}

async function countRows(apiPort: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/v1/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'SELECT count() AS n FROM linktrack.clicks' }),
  });
  return ((await res.json()) as { data: { n: string }[] }).data[0]?.n ?? '?';
}

await main();
