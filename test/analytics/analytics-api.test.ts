import { clickRow, type EnrichedClick } from '@linktrack/streams';
import {
  type ApiUnderTest,
  apiUnderTest,
  clickId,
  enrichedClick,
  TEST_API_KEY,
} from '@linktrack/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The analytics routes over HTTP (inject) on the real embedded engine, on a
 * small set of clicks and conversions whose answers are worked out by hand
 * below. Replayed copies of a click and of a conversion are inserted too:
 * they must count once.
 */
const auth = { authorization: `Bearer ${TEST_API_KEY}` };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2);
const RANGE = `from=${new Date(T0).toISOString()}&to=${T0 + 2 * DAY}`;
const ZERO = '00000000-0000-0000-0000-000000000000';

let api: ApiUnderTest;
let app: FastifyInstance;

function click(i: number, ts: number, over: Partial<EnrichedClick>): EnrichedClick {
  return { ...enrichedClick(i, 'a', ts), visit_type: 'redirect', ...over };
}

// People: h1 and h3 are the same visitor (v1). Bots: b1, b2. Outside: before the range, and a non-redirect.
const H1 = 1;
const H2 = 2;
const H3 = 3;
const H4 = 4;
const B1 = 5;
const CLICKS: EnrichedClick[] = [
  click(H1, T0 + 1 * HOUR, { slug: 'a', utm_campaign: 'spring', visitor_hash: 'v1', country: 'GB' }),
  click(H2, T0 + 2 * HOUR, { slug: 'c', utm_campaign: 'spring', visitor_hash: 'v2', country: 'FR' }),
  click(H3, T0 + DAY + 3 * HOUR, { slug: 'b', utm_campaign: 'summer', visitor_hash: 'v1', country: 'GB' }),
  click(H4, T0 + DAY + 4 * HOUR, { slug: 'b', utm_campaign: 'summer', visitor_hash: 'v3', country: 'DE' }),
  click(B1, T0 + 5 * HOUR, {
    slug: 'a',
    utm_campaign: 'spring',
    visitor_hash: 'vb',
    is_bot: true,
    bot_reason: 'bot_ua',
  }),
  click(6, T0 + DAY + 5 * HOUR, {
    slug: 'b',
    utm_campaign: 'summer',
    visitor_hash: 'vd',
    is_bot: true,
    bot_reason: 'datacenter',
  }),
  click(7, T0 - HOUR, { slug: 'a', utm_campaign: 'spring', visitor_hash: 'v9' }),
  click(8, T0 + 6 * HOUR, { slug: 'a', utm_campaign: 'spring', visitor_hash: 'v8', visit_type: 'expired' }),
];

interface Conversion {
  id: string;
  touches: string[];
  event: string;
  value: string;
  ts: number;
}
const CONVERSIONS: Conversion[] = [
  { id: 'cv1', touches: [clickId(H1)], event: 'signup', value: '0', ts: T0 + HOUR + 10 * 60_000 },
  { id: 'cv2', touches: [clickId(H1), clickId(H2)], event: 'purchase', value: '100', ts: T0 + 3 * HOUR },
  { id: 'cv7', touches: [clickId(H1)], event: 'purchase', value: '5', ts: T0 + 4 * HOUR },
  { id: 'cv3', touches: [clickId(H3)], event: 'purchase', value: '50', ts: T0 + DAY + 6 * HOUR },
  // Unknown click: unattributed. A bot's click: a bot conversion. After the range: not in the range's totals.
  {
    id: 'cv4',
    touches: ['01936f6e-8c1a-7b2e-9f00-999999999999'],
    event: 'purchase',
    value: '20',
    ts: T0 + DAY,
  },
  { id: 'cv5', touches: [clickId(B1)], event: 'purchase', value: '30', ts: T0 + 6 * HOUR },
  { id: 'cv6', touches: [clickId(H4)], event: 'purchase', value: '10', ts: T0 + 2 * DAY + HOUR },
];

async function insertConversions(conversions: Conversion[]) {
  await api.store.client.insert({
    table: 'linktrack.conversions',
    format: 'JSONEachRow',
    values: conversions.map((c) => ({
      conversion_id: c.id,
      click_id: c.touches.at(-1) ?? ZERO,
      touches: c.touches,
      event: c.event,
      value: c.value,
      currency: 'EUR',
      source: 'server',
      trust: 2,
      ts: c.ts,
      received_at: c.ts,
    })),
  });
}

async function get(url: string) {
  return app.inject({ method: 'GET', url, headers: auth });
}

beforeAll(async () => {
  api = await apiUnderTest();
  app = api.app;
  const insert = (clicks: EnrichedClick[]) =>
    api.store.client.insert({
      table: 'linktrack.clicks',
      values: clicks.map(clickRow),
      format: 'JSONEachRow',
    });
  await insert(CLICKS);
  await insertConversions(CONVERSIONS);
  // Replays: a second copy of a click and of a conversion, in parts of their own.
  await insert([CLICKS[0] as EnrichedClick]);
  await insertConversions([CONVERSIONS[1] as Conversion]);
});

afterAll(async () => {
  await api?.close();
});

describe('GET /v1/analytics/summary', () => {
  it('totals the range: every click, people, visitors, credited conversions, the uncredited', async () => {
    const res = await get(`/v1/analytics/summary?${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      clicks: 6,
      human_clicks: 4,
      bot_clicks: 2,
      unique_visitors: 3,
      // cv1, cv2, cv7, cv3; cv6 is after the range, cv4 unattributed, cv5 a bot's.
      conversions: 4,
      conversion_rate: 1,
      revenue: 155,
      unattributed_conversions: 1,
      bot_conversions: 1,
      model: 'last',
      from: new Date(T0).toISOString(),
      to: new Date(T0 + 2 * DAY).toISOString(),
    });
  });

  it('filters clicks and credits by the click dimensions, credit by the model', async () => {
    const last = (await get(`/v1/analytics/summary?${RANGE}&slug=a`)).json();
    expect(last).toMatchObject({
      clicks: 2,
      human_clicks: 1,
      conversions: 2,
      revenue: 5,
      conversion_rate: 2,
    });
    // Linear: h1 has cv1, half of cv2 (100) and cv7.
    const linear = (await get(`/v1/analytics/summary?${RANGE}&slug=a&model=linear`)).json();
    expect(linear).toMatchObject({ conversions: 2.5, revenue: 55, model: 'linear' });
    const first = (await get(`/v1/analytics/summary?${RANGE}&campaign=spring&model=first`)).json();
    expect(first).toMatchObject({ clicks: 3, human_clicks: 2, conversions: 3, revenue: 105 });
    // With bots, the rate is per click of any kind.
    const bots = (await get(`/v1/analytics/summary?${RANGE}&include_bots=true`)).json();
    expect(bots.conversion_rate).toBeCloseTo(4 / 6, 6);
  });
});

describe('GET /v1/analytics/breakdown', () => {
  it('splits by campaign, people first, with bots beside', async () => {
    const res = await get(`/v1/analytics/breakdown?dimension=utm_campaign&${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      dimension: 'utm_campaign',
      rows: [
        {
          value: 'spring',
          clicks: 2,
          human_clicks: 2,
          bot_clicks: 1,
          unique_visitors: 2,
          conversions: 3,
          conversion_rate: 1.5,
          revenue: 105,
        },
        {
          value: 'summer',
          clicks: 2,
          human_clicks: 2,
          bot_clicks: 1,
          unique_visitors: 2,
          conversions: 1,
          conversion_rate: 0.5,
          revenue: 50,
        },
      ],
    });
    const withBots = (
      await get(`/v1/analytics/breakdown?dimension=utm_campaign&include_bots=true&${RANGE}`)
    ).json();
    expect(withBots.rows.map((r: { clicks: number }) => r.clicks)).toEqual([3, 3]);
  });

  it('splits by the click day (conversions too), by bot reason (bots only), and limits', async () => {
    const days = (await get(`/v1/analytics/breakdown?dimension=day&${RANGE}`)).json().rows;
    expect(
      days.map((r: Record<string, unknown>) => [r.value, r.human_clicks, r.bot_clicks, r.conversions]),
    ).toEqual([
      ['2026-11-02', 2, 1, 3],
      ['2026-11-03', 2, 1, 1],
    ]);
    const reasons = (await get(`/v1/analytics/breakdown?dimension=bot_reason&${RANGE}`)).json().rows;
    expect(reasons.map((r: Record<string, unknown>) => [r.value, r.bot_clicks, r.human_clicks])).toEqual([
      ['bot_ua', 1, 0],
      ['datacenter', 1, 0],
    ]);
    const slugs = (await get(`/v1/analytics/breakdown?dimension=slug&limit=1&${RANGE}`)).json().rows;
    expect(slugs.map((r: { value: string }) => r.value)).toEqual(['b']);
  });
});

describe('GET /v1/analytics/timeseries', () => {
  it('gives every bucket of the range, conversions by their own time', async () => {
    const daily = (await get(`/v1/analytics/timeseries?interval=day&${RANGE}`)).json();
    expect(daily).toEqual({
      interval: 'day',
      points: [
        {
          ts: '2026-11-02T00:00:00Z',
          clicks: 2,
          human_clicks: 2,
          bot_clicks: 1,
          conversions: 3,
          revenue: 105,
        },
        {
          ts: '2026-11-03T00:00:00Z',
          clicks: 2,
          human_clicks: 2,
          bot_clicks: 1,
          conversions: 1,
          revenue: 50,
        },
      ],
    });
    const hourly = (await get(`/v1/analytics/timeseries?interval=hour&${RANGE}`)).json().points;
    expect(hourly).toHaveLength(48);
    expect(hourly[0]).toEqual({
      ts: '2026-11-02T00:00:00Z',
      clicks: 0,
      human_clicks: 0,
      bot_clicks: 0,
      conversions: 0,
      revenue: 0,
    });
    expect(hourly[1]).toMatchObject({ human_clicks: 1, conversions: 1, revenue: 0 });
    expect(hourly[3]).toMatchObject({ human_clicks: 0, conversions: 1, revenue: 100 });
  });
});

describe('GET /v1/analytics/funnel', () => {
  it('counts the clicks of the range reaching each step in order within the window', async () => {
    const res = await get(
      `/v1/analytics/funnel?steps=click,signup,purchase&window=7d&group_by=utm_campaign&${RANGE}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      steps: ['click', 'signup', 'purchase'],
      window_seconds: 604_800,
      groups: [
        { group: 'spring', counts: [2, 1, 1] },
        { group: 'summer', counts: [2, 0, 0] },
      ],
    });
    // h4's purchase comes after the range but within the window.
    const one = (await get(`/v1/analytics/funnel?steps=click,purchase&${RANGE}`)).json();
    expect(one.groups).toEqual([{ group: '', counts: [4, 4] }]);
    // A one-hour window: only h1's signup (10 min) and purchase (3 h) — the purchase is too late.
    const short = (await get(`/v1/analytics/funnel?steps=click,signup,purchase&window=1h&${RANGE}`)).json();
    expect(short.groups).toEqual([{ group: '', counts: [4, 1, 0] }]);
    const bots = (
      await get(`/v1/analytics/funnel?steps=click,signup&group_by=utm_campaign&include_bots=true&${RANGE}`)
    ).json();
    expect(bots.groups).toEqual([
      { group: 'spring', counts: [3, 1] },
      { group: 'summer', counts: [3, 0] },
    ]);
  });
});

describe('GET /v1/analytics/export', () => {
  const expected = {
    [clickId(H1)]: [2, 5],
    [clickId(H2)]: [1, 100],
    [clickId(H3)]: [1, 50],
    [clickId(H4)]: [1, 10],
  };

  it('streams human clicks with their last-click conversions as NDJSON and CSV', async () => {
    const res = await get(`/v1/analytics/export?format=ndjson&${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="linktrack-clicks-20261102T000000Z-20261104T000000Z.ndjson"',
    );
    const rows = res.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(Object.fromEntries(rows.map((r) => [r.click_id, [r.conversions, r.revenue]]))).toEqual(expected);
    expect(rows.find((r) => r.click_id === clickId(H1))).toMatchObject({
      ts: '2026-11-02T01:00:00.000Z',
      slug: 'a',
      utm_campaign: 'spring',
      country: 'GB',
    });

    const csv = await get(`/v1/analytics/export?format=csv&${RANGE}&campaign=summer`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^"click_id","ts","slug",.*"conversions","revenue"$/);
    expect(lines).toHaveLength(3);
  });

  it('streams Parquet', async () => {
    const res = await get(`/v1/analytics/export?format=parquet&${RANGE}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    const body = res.rawPayload;
    expect(body.subarray(0, 4).toString()).toBe('PAR1');
    expect(body.subarray(-4).toString()).toBe('PAR1');
  });
});

describe('parameter validation', () => {
  const cases: [string, string, string][] = [
    ['/v1/analytics/summary?from=yesterday', 'from', 'LT_ANALYTICS_BAD_TIME'],
    ['/v1/analytics/summary?to=2026-13-45T00:00:00Z', 'to', 'LT_ANALYTICS_BAD_TIME'],
    ['/v1/analytics/summary?from=2026-11-02&to=2026-11-01', 'from', 'LT_ANALYTICS_BAD_RANGE'],
    ['/v1/analytics/summary?from=2025-01-01&to=2026-11-01', 'to', 'LT_ANALYTICS_BAD_RANGE'],
    ['/v1/analytics/summary?model=shapley', 'model', 'LT_API_VALIDATION'],
    ['/v1/analytics/summary?include_bots=maybe', 'include_bots', 'LT_API_VALIDATION'],
    [`/v1/analytics/summary?slug=${'x'.repeat(201)}`, 'slug', 'LT_API_VALIDATION'],
    ['/v1/analytics/summary?campaign=', 'campaign', 'LT_API_VALIDATION'],
    ['/v1/analytics/summary?colour=red', 'colour', 'LT_API_VALIDATION'],
    ['/v1/analytics/breakdown', 'dimension', 'LT_API_VALIDATION'],
    ['/v1/analytics/breakdown?dimension=password', 'dimension', 'LT_API_VALIDATION'],
    ['/v1/analytics/breakdown?dimension=slug&limit=1001', 'limit', 'LT_API_VALIDATION'],
    ['/v1/analytics/timeseries?interval=minute', 'interval', 'LT_API_VALIDATION'],
    ['/v1/analytics/funnel', 'steps', 'LT_API_VALIDATION'],
    ['/v1/analytics/funnel?steps=signup,purchase', 'steps', 'LT_ANALYTICS_BAD_STEPS'],
    ['/v1/analytics/funnel?steps=click', 'steps', 'LT_ANALYTICS_BAD_STEPS'],
    ['/v1/analytics/funnel?steps=click,signup,landing', 'steps', 'LT_ANALYTICS_BAD_STEPS'],
    ['/v1/analytics/funnel?steps=click,a,b,c,d,e,f,g,h', 'steps', 'LT_ANALYTICS_BAD_STEPS'],
    ['/v1/analytics/funnel?steps=click,,purchase', 'steps', 'LT_ANALYTICS_BAD_STEPS'],
    ['/v1/analytics/funnel?steps=click,signup&window=7w', 'window', 'LT_ANALYTICS_BAD_WINDOW'],
    ['/v1/analytics/funnel?steps=click,signup&window=366d', 'window', 'LT_ANALYTICS_BAD_WINDOW'],
    ['/v1/analytics/funnel?steps=click,signup&group_by=city', 'group_by', 'LT_API_VALIDATION'],
    ['/v1/analytics/export?format=xlsx', 'format', 'LT_API_VALIDATION'],
  ];

  it.each(cases)('%s → 400 naming %s', async (url, field, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, field });
    expect(res.json().error.message).toMatch(new RegExp(`^${field}`));
  });

  it('needs the api key', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/analytics/summary' });
    expect(res.statusCode).toBe(401);
  });
});
