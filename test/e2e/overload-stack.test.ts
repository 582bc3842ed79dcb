import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, waitFor } from '../support/wait.js';

/**
 * The whole embedded stack (its own file: one engine data dir per process)
 * with the bus and the redirect's buffer at their smallest: a burst through
 * real HTTP is answered in full and lands in full, the spool wired in the data dir.
 */
describe('the embedded stack under a burst with small bounds', () => {
  const API_KEY = 'overload-key-0123456789abcdef';
  const dataDir = mkdtempSync(join(tmpdir(), 'lt-overload-stack-'));
  let stack: RunningStack;
  beforeAll(async () => {
    const config = loadConfig({
      LINKTRACK_DATA_DIR: dataDir,
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_API_KEY: API_KEY,
      LINKTRACK_TRUST_PROXY: 'true',
      LINKTRACK_LOG_LEVEL: 'warn',
      LINKTRACK_BUS_MAX_MESSAGES: '1000',
      LINKTRACK_REDIRECT_BUFFER_MAX: '100',
    });
    stack = await startStack(config, new Set(SERVICES), createLogger('warn'));
  });
  afterAll(async () => stack?.stop());

  it('answers every request and stores every click once, with the spool in the data dir and nothing dropped', {
    timeout: 120_000,
  }, async () => {
    const created = await fetch(`${stack.apiUrl}/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://shop.example/burst', slug: 'burst' }),
    });
    expect(created.status).toBe(201);
    expect(existsSync(join(dataDir, 'spool'))).toBe(true);

    const total = 3_000;
    const statuses = await mapLimit(
      Array.from({ length: total }, (_, i) => i),
      50,
      async (i) => {
        const res = await fetch(`${stack.redirectUrl}/burst?i=${i}`, {
          redirect: 'manual',
          headers: { 'x-forwarded-for': `81.2.${i % 250}.1` },
        });
        await res.arrayBuffer();
        return res.status;
      },
    );
    expect(statuses.filter((s) => s !== 302)).toEqual([]);
    const count = async () => {
      const res = await fetch(`${stack.apiUrl}/v1/sql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: "SELECT count() AS n, uniqExact(click_id) AS ids FROM linktrack.clicks WHERE slug = 'burst'",
        }),
      });
      const [row] = ((await res.json()) as { data: { n: string; ids: string }[] }).data;
      return { n: Number(row?.n), ids: Number(row?.ids) };
    };
    expect(await waitFor(count, (c) => c.n >= total, 60_000, 200)).toEqual({ n: total, ids: total });
    const metrics = await (await fetch(`${stack.opsUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/^linktrack_redirect_events_dropped_total\{[^}]*\} [1-9]/m);
  });
});
