import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { UA } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, waitFor } from '../support/wait.js';

const API_KEY = 'e2e-key-0123456789abcdef';

/** Each class of request, and what linktrack must make of it. */
const CLASSES = [
  {
    name: 'desktop_gb',
    count: 250,
    slug: 'spring',
    method: 'GET',
    ua: UA.chromeDesktop,
    ip: '81.2.69.160',
    expect: { country: 'GB', device_type: 'desktop', is_bot: 0, link_found: 1, visit_type: 'redirect' },
  },
  {
    name: 'mobile_jp',
    count: 250,
    slug: 'spring',
    method: 'GET',
    ua: UA.iphone,
    ip: '133.242.0.1',
    expect: { country: 'JP', device_type: 'mobile', is_bot: 0, link_found: 1, visit_type: 'redirect' },
  },
  {
    name: 'crawler_us',
    count: 200,
    slug: 'spring',
    method: 'GET',
    ua: UA.googlebot,
    ip: '8.8.8.8',
    expect: { country: 'US', device_type: 'bot', is_bot: 1, link_found: 1, visit_type: 'redirect' },
  },
  {
    name: 'scanner_au',
    count: 100,
    slug: 'spring',
    method: 'HEAD',
    ua: UA.chromeDesktop,
    ip: '1.1.1.1',
    expect: { country: 'AU', device_type: 'bot', is_bot: 1, link_found: 1, visit_type: 'redirect' },
  },
  {
    name: 'desktop_de_v6',
    count: 100,
    slug: 'spring',
    method: 'GET',
    ua: UA.chromeDesktop,
    // Deutsche Telekom: a home network (Google's own addresses are a scanner network).
    ip: '2003:c1:4f00::1',
    expect: { country: 'DE', device_type: 'desktop', is_bot: 0, link_found: 1, visit_type: 'redirect' },
  },
  {
    name: 'orphan_br',
    count: 100,
    slug: 'nope',
    method: 'GET',
    ua: UA.chromeDesktop,
    ip: '200.160.2.3',
    expect: { country: 'BR', device_type: 'desktop', is_bot: 0, link_found: 0, visit_type: 'unknown_slug' },
  },
] as const;

/**
 * Each request from a client of its own on the class's network: one address and
 * agent asking for the same link hundreds of times in seconds is a burst (a bot).
 */
function clientAddress(ip: string, i: number): string {
  return ip.includes(':')
    ? `${ip.slice(0, ip.lastIndexOf(':') + 1)}${(i + 1).toString(16)}`
    : `${ip.slice(0, ip.lastIndexOf('.') + 1)}${(i % 250) + 1}`;
}

let stack: RunningStack;

beforeAll(async () => {
  const config = loadConfig({
    LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-e2e-')),
    LINKTRACK_REDIRECT_PORT: '0',
    LINKTRACK_API_PORT: '0',
    LINKTRACK_TRUST_PROXY: 'true',
    LINKTRACK_API_KEY: API_KEY,
    LINKTRACK_BASE_URL: 'https://sho.rt',
    LINKTRACK_LOG_LEVEL: 'warn',
  });
  stack = await startStack(config, new Set(SERVICES), createLogger('warn'));
});

afterAll(async () => stack?.stop());

async function sql<T>(query: string): Promise<T[]> {
  const res = await fetch(`${stack.apiUrl}/v1/sql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: T[] }).data;
}

describe('embedded stack, end to end', () => {
  it('turns 1,000 mixed redirects into exactly 1,000 correctly enriched rows within 5 s', async () => {
    const created = await fetch(`${stack.apiUrl}/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: 'https://shop.example/spring',
        slug: 'spring',
        utm: { source: 'newsletter', medium: 'email', campaign: 'spring' },
      }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { short_url: string }).short_url).toBe('https://sho.rt/spring');

    const requests = CLASSES.flatMap((c) => Array.from({ length: c.count }, (_, i) => ({ ...c, i })));
    const statuses = await mapLimit(requests, 20, async (r) => {
      const res = await fetch(`${stack.redirectUrl}/${r.slug}?class=${r.name}&i=${r.i}`, {
        method: r.method,
        redirect: 'manual',
        headers: { 'user-agent': r.ua, 'x-forwarded-for': clientAddress(r.ip, r.i) },
      });
      await res.arrayBuffer();
      return `${r.name}:${res.status}`;
    });
    const sentAt = Date.now();
    for (const c of CLASSES) {
      const expected = `${c.name}:${c.slug === 'nope' ? 404 : 302}`;
      expect(statuses.filter((s) => s === expected)).toHaveLength(c.count);
    }

    await waitFor(
      async () => Number((await sql<{ n: string }>('SELECT count() AS n FROM linktrack.clicks'))[0]?.n),
      (n) => n >= 1_000,
      5_000,
    );
    expect(Date.now() - sentAt).toBeLessThanOrEqual(5_000);

    const rows = await sql<Record<string, string | number>>(`
      SELECT extractURLParameter(concat('?', query), 'class') AS class, count() AS n,
             groupUniqArray(country) AS countries, groupUniqArray(device_type) AS devices,
             groupUniqArray(is_bot) AS bots, groupUniqArray(link_found) AS found,
             groupUniqArray(visit_type) AS visit_types,
             uniqExact(click_id) AS ids, groupUniqArray(utm_campaign) AS campaigns
      FROM linktrack.clicks GROUP BY class ORDER BY class`);
    const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
    expect(total).toBe(1_000);
    for (const c of CLASSES) {
      const row = rows.find((r) => r.class === c.name);
      expect(row, c.name).toBeDefined();
      expect(row).toMatchObject({
        n: String(c.count),
        ids: String(c.count),
        countries: [c.expect.country],
        devices: [c.expect.device_type],
        bots: [c.expect.is_bot],
        found: [c.expect.link_found],
        visit_types: [c.expect.visit_type],
        campaigns: [c.expect.link_found ? 'spring' : ''],
      });
    }
  });

  it('records where each visitor came from, without keeping their full address', async () => {
    const rows = await sql<{ ip_prefix: string }>(
      "SELECT DISTINCT ip_prefix FROM linktrack.clicks WHERE extractURLParameter(concat('?', query), 'class') IN ('desktop_gb', 'desktop_de_v6') ORDER BY ip_prefix",
    );
    expect(rows.map((r) => r.ip_prefix)).toEqual(['2003:c1:4f00::/48', '81.2.69.0/24']);
  });

  it('records a visit to / and to paths that cannot be slugs, with why they did not redirect', async () => {
    const paths = ['/?class=base', '/favicon.ico?class=invalid', '/wp-login.php?class=invalid'];
    for (const path of paths) {
      const res = await fetch(`${stack.redirectUrl}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, path).toBe(404);
    }
    const rows = await waitFor(
      () =>
        sql<{ slug: string; visit_type: string; link_found: number }>(
          `SELECT slug, visit_type, link_found FROM linktrack.clicks
            WHERE extractURLParameter(concat('?', query), 'class') IN ('base', 'invalid') ORDER BY slug`,
        ),
      (r) => r.length >= 3,
      5_000,
    );
    expect(rows).toEqual([
      { slug: '', visit_type: 'base_url', link_found: 0 },
      { slug: 'favicon.ico', visit_type: 'invalid_path', link_found: 0 },
      { slug: 'wp-login.php', visit_type: 'invalid_path', link_found: 0 },
    ]);
  });
});
