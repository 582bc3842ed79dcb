import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { UA } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

/**
 * The click-data features through the whole embedded stack: a honeypot link
 * and the scanner that opens it with its other clicks, a confirmation from the
 * first-party script's endpoint, unique visitors, and no full address stored.
 */
const API_KEY = 'click-data-key-0123456789';
const SHOP = 'https://shop.example';
let stack: RunningStack;

beforeAll(async () => {
  const config = loadConfig({
    LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-clickdata-')),
    LINKTRACK_REDIRECT_PORT: '0',
    LINKTRACK_API_PORT: '0',
    LINKTRACK_METRICS_PORT: '0',
    LINKTRACK_TRUST_PROXY: 'true',
    LINKTRACK_API_KEY: API_KEY,
    LINKTRACK_LOG_LEVEL: 'warn',
    LINKTRACK_ALLOWED_ORIGINS: SHOP,
  });
  stack = await startStack(config, new Set(SERVICES), createLogger('warn'));
});
afterAll(async () => stack?.stop());

const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
async function sql<T>(query: string): Promise<T[]> {
  const res = await fetch(`${stack.apiUrl}/v1/sql`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ query }),
  });
  if (res.status !== 200) throw new Error(`sql ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: T[] }).data;
}
async function createLink(slug: string, honeypot = false) {
  const res = await fetch(`${stack.apiUrl}/v1/links`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ url: `${SHOP}/${slug}`, slug, ...(honeypot ? { honeypot: true } : {}) }),
  });
  expect(res.status).toBe(201);
}
async function click(slug: string, ip: string, ua: string, tag: string) {
  const res = await fetch(`${stack.redirectUrl}/${slug}?tag=${tag}`, {
    redirect: 'manual',
    headers: {
      'user-agent': ua,
      'x-forwarded-for': ip,
      'accept-language': 'en-GB',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-site': 'cross-site',
    },
  });
  await res.arrayBuffer();
  expect(res.status).toBe(302);
}
const rowsTagged = (tag: string) => `extractURLParameter(concat('?', query), 'tag') = '${tag}'`;

describe('click data on the embedded stack', () => {
  it('keeps a honeypot visitor out of human clicks, before and after the hit, and counts unique visitors', async () => {
    await createLink('news');
    await createLink('offer');
    await createLink('trap', true);
    // The scanner: one address and agent opens a link, the hidden one, then the first again
    // (two different links only: not a burst, so the honeypot alone must give it away).
    const scanner = ['86.130.40.7', UA.chromeDesktop] as const;
    await click('news', ...scanner, 'hp');
    await click('trap', ...scanner, 'hp');
    await click('news', ...scanner, 'hp');
    // People: two on their phones, one of them twice.
    await click('news', '82.10.3.4', UA.iphone, 'hp');
    await click('offer', '82.10.3.4', UA.iphone, 'hp');
    await click('news', '79.200.9.9', UA.iphone, 'hp');

    const rows = await waitFor(
      () =>
        sql<{ slug: string; is_bot: number; bot_reason: string }>(
          `SELECT slug, is_bot, bot_reason FROM linktrack.clicks WHERE ${rowsTagged('hp')} ORDER BY ts`,
        ),
      (r) => r.length >= 6,
      10_000,
    );
    expect(rows.filter((r) => r.slug === 'trap')).toEqual([
      { slug: 'trap', is_bot: 1, bot_reason: 'honeypot' },
    ]);
    // The scanner's other clicks were enriched as people (nothing gave them away then)...
    expect(rows.filter((r) => r.is_bot === 0)).toHaveLength(5);
    // ...and human_clicks leaves them out: only the two people remain, three clicks, two visitors.
    const [human] = await sql<{ clicks: string; visitors: string }>(
      `SELECT count() AS clicks, uniqExact(visitor_hash) AS visitors FROM linktrack.human_clicks WHERE ${rowsTagged('hp')}`,
    );
    expect(human).toEqual({ clicks: '3', visitors: '2' });
  });

  it('marks a click confirmed once the landing page beacons its click id', async () => {
    await click('news', '90.10.20.30', UA.chromeDesktop, 'confirm');
    const [row] = await waitFor(
      () =>
        sql<{ id: string }>(
          `SELECT toString(click_id) AS id FROM linktrack.clicks WHERE ${rowsTagged('confirm')}`,
        ),
      (r) => r.length === 1,
      10_000,
    );
    const id = row?.id as string;
    const script = await fetch(`${stack.redirectUrl}/t.js`);
    expect(script.status).toBe(200);
    const beacon = await fetch(`${stack.redirectUrl}/v1/collect`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ type: 'confirm', click_id: id }),
    });
    expect(beacon.status).toBe(204);
    const confirmed = await waitFor(
      () =>
        sql<{ confirmed: number }>(
          `SELECT confirmed FROM linktrack.confirmed_clicks WHERE click_id = '${id}'`,
        ),
      (r) => r[0]?.confirmed === 1,
      10_000,
    );
    expect(confirmed).toEqual([{ confirmed: 1 }]);
    const others = await sql<{ n: string }>(
      `SELECT count() AS n FROM linktrack.confirmed_clicks WHERE confirmed = 1 AND click_id != '${id}'`,
    );
    expect(others).toEqual([{ n: '0' }]);
  });

  it('stores no full client address anywhere in ClickHouse', async () => {
    const columns = await sql<{ database: string; table: string; name: string }>(
      "SELECT database, table, name FROM system.columns WHERE database = 'linktrack' AND type LIKE '%String%' AND table NOT IN (SELECT name FROM system.tables WHERE database = 'linktrack' AND engine = 'View')",
    );
    const found: string[] = [];
    for (const c of columns) {
      for (const address of ['86.130.40.7', '82.10.3.4', '90.10.20.30']) {
        const [hit] = await sql<{ n: string }>(
          `SELECT count() AS n FROM ${c.database}.${c.table} WHERE position(toString(${c.name}), '${address}') > 0`,
        );
        if (hit?.n !== '0') found.push(`${c.table}.${c.name}: ${address}`);
      }
    }
    expect(found).toEqual([]);
  });
});
