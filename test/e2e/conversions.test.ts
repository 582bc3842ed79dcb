import type { RunningStack } from '@linktrack/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analystSql, startTestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait.js';

/**
 * Conversions through the whole embedded stack: POST /v1/conversions and the
 * collect endpoint, the conversions stream, the sink, and linktrack.conversions
 * read FINAL (one row per conversion id, a server copy winning over a browser one).
 */
const API_KEY = 'conversions-key-0123456789';
const PUBLISHABLE_KEY = 'pk_shop_conversions_0123';
const SHOP = 'https://shop.example';
const A = '01936f6e-8c1a-7b2e-9f00-0000000000a1';
const B = '01936f6e-8c1a-7b2e-9f00-0000000000b2';
const UNKNOWN = '01936f6e-8c1a-7b2e-9f00-00000000dead';
let stack: RunningStack;

beforeAll(async () => {
  stack = await startTestStack('conversions', API_KEY, {
    LINKTRACK_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
    LINKTRACK_ALLOWED_ORIGINS: SHOP,
  });
});
afterAll(async () => stack?.stop());

const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };

const sql = <T>(query: string, final = true) => analystSql<T>(stack, API_KEY, query, final);

async function convert(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.apiUrl}/v1/conversions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface Row {
  conversion_id: string;
  click_id: string;
  touches: string[];
  event: string;
  value: string;
  currency: string;
  source: string;
  trust: number;
}

const COLUMNS =
  'conversion_id, toString(click_id) AS click_id, arrayMap(t -> toString(t), touches) AS touches, event, toString(value) AS value, currency, source, trust';

/** The FINAL rows of these ids, once `count` rows were written for them (copies included). */
async function rowsOf(ids: string[], written = ids.length): Promise<Row[]> {
  const list = ids.map((id) => `'${id}'`).join(',');
  await waitFor(
    () =>
      sql<{ n: string }>(
        `SELECT count() AS n FROM linktrack.conversions WHERE conversion_id IN (${list})`,
        false,
      ),
    (r) => Number(r[0]?.n) >= written,
    15_000,
  );
  return sql<Row>(
    `SELECT ${COLUMNS} FROM linktrack.conversions FINAL WHERE conversion_id IN (${list}) ORDER BY conversion_id`,
  );
}

describe('conversions on the embedded stack', () => {
  it('stores a server conversion, normalized, as source server with trust 2', async () => {
    const res = await convert({
      click_id: A,
      event: 'Purchase',
      value: '19.99',
      currency: 'EUR',
      id: 'order-1',
      occurred_at: '2026-01-31T12:00:00Z',
    });
    expect(res).toEqual({ status: 202, json: { accepted: 1, ids: ['order-1'] } });
    expect(await rowsOf(['order-1'])).toEqual([
      {
        conversion_id: 'order-1',
        click_id: A,
        touches: [A],
        event: 'purchase',
        value: '19.99',
        currency: 'EUR',
        source: 'server',
        trust: 2,
      },
    ]);
    const [ts] = await sql<{ ts: string }>(
      "SELECT toString(ts) AS ts FROM linktrack.conversions FINAL WHERE conversion_id = 'order-1'",
    );
    expect(ts?.ts).toBe('2026-01-31 12:00:00.000');
  });

  it('stores a batch, all of it, with generated ids where none was given', async () => {
    const res = await convert({
      conversions: [
        { click_id: A, event: 'signup', id: 'batch-1' },
        { click_id: B, event: 'purchase', value: 5, currency: 'USD', touches: [A] },
        { click_id: B, event: 'upsell', value: '0.0001', currency: 'JPY' },
      ],
    });
    expect(res.status).toBe(202);
    const ids = res.json.ids as string[];
    expect(ids).toHaveLength(3);
    const rows = await rowsOf(ids);
    const byId = new Map(rows.map((r) => [r.conversion_id, r]));
    expect(byId.get('batch-1')).toMatchObject({ event: 'signup', value: '0', currency: '', touches: [A] });
    expect(byId.get(ids[1] as string)).toMatchObject({ value: '5', currency: 'USD', touches: [A, B] });
    expect(byId.get(ids[2] as string)).toMatchObject({ value: '0.0001', currency: 'JPY', click_id: B });
  });

  it('refuses a batch with one bad conversion whole, naming its index', async () => {
    const res = await convert({
      conversions: [
        { click_id: A, event: 'signup', id: 'never-1' },
        { click_id: A, event: 'signup', id: 'never-2', value: '3' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'LT_API_VALIDATION', field: 'conversions[1].currency' });
    // A later conversion reaches the table; the refused batch never did.
    await convert({ click_id: A, event: 'signup', id: 'after-refused' });
    await rowsOf(['after-refused']);
    expect(
      await sql(`SELECT conversion_id FROM linktrack.conversions WHERE conversion_id LIKE 'never-%'`),
    ).toEqual([]);
  });

  it('keeps one row per id: a duplicate is one conversion, and a server copy beats a browser one', async () => {
    for (const value of ['10', '12.5'])
      expect(
        (await convert({ click_id: A, event: 'purchase', value, currency: 'EUR', id: 'dup-1' })).status,
      ).toBe(202);
    const beacon = await fetch(`${stack.redirectUrl}/v1/collect`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        type: 'conversion',
        key: PUBLISHABLE_KEY,
        event: 'purchase',
        value: '999',
        currency: 'EUR',
        id: 'dup-1',
        touches: [{ click_id: B, ts: 1 }],
      }),
    });
    expect(beacon.status).toBe(204);
    const rows = await rowsOf(['dup-1'], 3);
    expect(rows).toEqual([
      expect.objectContaining({ conversion_id: 'dup-1', source: 'server', trust: 2, click_id: A }),
    ]);
    expect(['10', '12.5']).toContain(rows[0]?.value);
  });

  it('stores a browser conversion as source browser, trust 1', async () => {
    const beacon = await fetch(`${stack.redirectUrl}/v1/collect`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        type: 'conversion',
        key: PUBLISHABLE_KEY,
        event: 'signup',
        id: 'browser-1',
        touches: [
          { click_id: B, ts: 2_000 },
          { click_id: A, ts: 1_000 },
        ],
      }),
    });
    expect(beacon.status).toBe(204);
    expect(await rowsOf(['browser-1'])).toEqual([
      {
        conversion_id: 'browser-1',
        click_id: B,
        touches: [A, B],
        event: 'signup',
        value: '0',
        currency: '',
        source: 'browser',
        trust: 1,
      },
    ]);
  });

  it('accepts a conversion of a click id it has never seen, stored for a late click', async () => {
    expect((await convert({ click_id: UNKNOWN, event: 'signup', id: 'unknown-click' })).status).toBe(202);
    const [row] = await rowsOf(['unknown-click']);
    expect(row).toMatchObject({ click_id: UNKNOWN, touches: [UNKNOWN], source: 'server' });
    const [clicks] = await sql<{ n: string }>(
      `SELECT count() AS n FROM linktrack.clicks WHERE click_id = '${UNKNOWN}'`,
    );
    expect(clicks?.n).toBe('0');
  });

  it('never lets the publishable key call the api', async () => {
    const headers = { authorization: `Bearer ${PUBLISHABLE_KEY}`, 'content-type': 'application/json' };
    const calls: [string, string, unknown][] = [
      ['POST', '/v1/conversions', { click_id: A, event: 'signup' }],
      ['POST', '/v1/links', { url: `${SHOP}/x` }],
      ['GET', '/v1/links', undefined],
      ['POST', '/v1/sql', { query: 'SELECT 1' }],
    ];
    for (const [method, path, body] of calls) {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LT_API_UNAUTHORIZED');
    }
  });
});
