import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { UA } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, waitFor } from '../support/wait.js';

/** Links end to end on the embedded stack: lifecycle, caps, QR scans, click ids, and a 10,000-link import. */
const KEY = 'links-e2e-key-0123456789';
let stack: RunningStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lt-links-e2e-'));
  const config = loadConfig({
    LINKTRACK_DATA_DIR: dataDir,
    LINKTRACK_API_KEY: KEY,
    LINKTRACK_REDIRECT_PORT: '0',
    LINKTRACK_API_PORT: '0',
    LINKTRACK_METRICS_PORT: '0',
    LINKTRACK_TRUST_PROXY: 'true',
  });
  stack = await startStack(config, new Set(SERVICES), createLogger('warn'));
});
afterAll(async () => stack?.stop());

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { data?: Record<string, unknown>[] },
  };
}

const sql = async (query: string, params: Record<string, unknown> = {}) =>
  (await api('POST', '/v1/sql', { query, params })).body.data as Record<string, string>[];

function visit(path: string, ua: string = UA.chromeDesktop, ip = '81.2.69.160') {
  return fetch(`${stack.redirectUrl}${path}`, {
    redirect: 'manual',
    headers: { 'user-agent': ua, 'x-forwarded-for': ip, 'accept-language': 'en' },
  });
}

describe('links end to end', () => {
  it('appends the click id, which is the id of the stored click, and records QR scans as such', async () => {
    expect((await api('POST', '/v1/links', { url: 'https://shop.example/p#top', slug: 'cid' })).status).toBe(
      201,
    );
    const click = await visit('/cid?gclid=G');
    const location = click.headers.get('location') ?? '';
    const cid = /lt_cid=([0-9a-f-]{36})/.exec(location)?.[1];
    expect(location).toBe(`https://shop.example/p?gclid=G&lt_cid=${cid}#top`);
    const scan = await visit('/cid?lt_qr=1');
    expect(scan.headers.get('location')).not.toContain('lt_qr');
    const rows = await waitFor(
      () =>
        sql("SELECT toString(click_id) AS id, trigger FROM linktrack.clicks WHERE slug = 'cid' ORDER BY ts"),
      (r) => r.length === 2,
      10_000,
    );
    expect(rows).toEqual([
      { id: cid, trigger: 'link' },
      { id: expect.any(String), trigger: 'qr' },
    ]);
  });

  it('answers 410 for disabled and expired links, and records why', async () => {
    await api('POST', '/v1/links', { url: 'https://shop.example/off', slug: 'off' });
    await api('POST', '/v1/links', {
      url: 'https://shop.example/soon',
      slug: 'soon',
      expires_at: new Date(Date.now() + 1_500).toISOString(),
    });
    await api('DELETE', '/v1/links/off');
    await waitFor(
      async () => (await visit('/off')).status,
      (s) => s === 410,
      5_000,
    );
    await waitFor(
      async () => (await visit('/soon')).status,
      (s) => s === 410,
      10_000,
    );
    const rows = await waitFor(
      () =>
        sql(
          "SELECT slug, visit_type FROM linktrack.clicks WHERE slug IN ('off', 'soon') AND visit_type != 'redirect' GROUP BY ALL ORDER BY slug",
        ),
      (r) => r.length === 2,
      10_000,
    );
    expect(rows).toEqual([
      { slug: 'off', visit_type: 'disabled' },
      { slug: 'soon', visit_type: 'expired' },
    ]);
  });

  it('caps human clicks only: bots and scanners never use up a link', async () => {
    await api('POST', '/v1/links', { url: 'https://shop.example/once', slug: 'capped', max_human_clicks: 3 });
    for (let i = 0; i < 5; i++)
      expect((await visit('/capped', UA.googlebot, `66.249.66.${i}`)).status).toBe(302);
    for (let i = 0; i < 2; i++)
      expect((await visit('/capped', UA.chromeDesktop, `81.2.70.${i}`)).status).toBe(302);
    await waitFor(
      async () =>
        Number((await sql("SELECT count() AS n FROM linktrack.clicks WHERE slug = 'capped'"))[0]?.n),
      (n) => n === 7,
      10_000,
    );
    // The watcher counts once a second: two rounds after every click landed, the link must still work.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await visit('/capped', UA.googlebot, '66.249.66.99')).status).toBe(302);
    expect((await visit('/capped', UA.iphone, '81.2.70.9')).status).toBe(302);
    // The third human used it up: within seconds the link is exhausted everywhere (polled without clicking).
    const link = await waitFor(
      async () => (await api('GET', '/v1/links/capped')).body,
      (l) => l.status === 'exhausted',
      15_000,
    );
    expect(link).toMatchObject({
      status: 'exhausted',
      max_human_clicks: 3,
      exhausted_at: expect.any(String),
    });
    // A bot polls the redirect until it has heard: bots never count.
    await waitFor(
      async () => (await visit('/capped', UA.googlebot, '66.249.66.7')).status,
      (s) => s === 410,
      5_000,
    );
    expect((await visit('/capped', UA.chromeDesktop, '81.2.70.50')).status).toBe(410);
    const humans = await sql("SELECT count() AS n FROM linktrack.human_clicks WHERE slug = 'capped'");
    expect(Number(humans[0]?.n)).toBe(3);
  });

  it('imports 10,000 links from a CSV, and every one of them redirects', async () => {
    const file = join(dataDir, 'import.csv');
    const lines = ['Short code,Long URL,Tags'];
    for (let i = 0; i < 10_000; i++)
      lines.push(`imp-${i},https://import.example/item/${i}?ref=csv,"bulk,import"`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const code = await main(
      ['links', 'import', file],
      { LINKTRACK_API_URL: stack.apiUrl as string, LINKTRACK_API_KEY: KEY, LINKTRACK_DATA_DIR: dataDir },
      {
        print: (l) => out.push(l),
        printError: (l) => err.push(l),
        progress: (t) => progress.push(t),
        tty: false,
        shutdown: new Promise(() => {}),
      },
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(progress.at(-1)).toMatch(/10,000 created, 0 failed in [\d.]+ s/);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    const statuses = await mapLimit(
      Array.from({ length: 10_000 }, (_, i) => i),
      50,
      async (i) => {
        const res = await fetch(`${stack.redirectUrl}/imp-${i}`, {
          redirect: 'manual',
          headers: { 'user-agent': UA.curl },
        });
        await res.arrayBuffer();
        return (
          res.status === 302 &&
          res.headers.get('location')?.startsWith(`https://import.example/item/${i}?ref=csv&lt_cid=`)
        );
      },
    );
    expect(statuses.filter(Boolean)).toHaveLength(10_000);
    const tagged = await api('GET', '/v1/links?tag=import&limit=1000');
    expect((tagged.body.links as unknown[]).length).toBe(1_000);
    expect(tagged.body.next_cursor).toEqual(expect.any(String));
  }, 120_000);

  it('imports row by row: bad rows are reported with their line and the rest still land', async () => {
    const file = join(dataDir, 'mixed.csv');
    writeFileSync(
      file,
      'url,slug,utm_source\nhttps://ok.example/1,mixed-1,news\nftp://bad.example/,mixed-2,\nhttps://ok.example/3,cid,\n,mixed-4,x\n',
    );
    const err: string[] = [];
    const code = await main(
      ['links', 'import', file],
      { LINKTRACK_API_URL: stack.apiUrl as string, LINKTRACK_API_KEY: KEY, LINKTRACK_DATA_DIR: dataDir },
      {
        print: () => {},
        printError: (l) => err.push(l),
        progress: () => {},
        tty: false,
        shutdown: new Promise(() => {}),
      },
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      `${file}:5: url: is empty`,
      `${file}:3: url: must use http or https, got ftp [LT_LINK_BAD_SCHEME]`,
      `${file}:4: slug: "cid" is taken [LT_API_SLUG_TAKEN]`,
    ]);
    expect((await api('GET', '/v1/links/mixed-1')).status).toBe(200);
  });
});
