import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@linktrack/store';
import { clickRow, type EnrichedClick } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { clickId, enrichedClick } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Attribution on the real engine: the materialized views that join both
 * sides, whichever lands first, and the parameterized views that give credit
 * per model and window.
 */
const T0 = Date.UTC(2026, 10, 1, 12);
const MIN = 60_000;
const DAY = 86_400_000;
const ZERO = '00000000-0000-0000-0000-000000000000';

let store: Store;
const q = async <T>(query: string, query_params: Record<string, unknown> = {}) =>
  (await store.client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();

function click(i: number, over: Partial<EnrichedClick> = {}): EnrichedClick {
  return {
    ...enrichedClick(i, `s${i}`, T0 + i * MIN),
    utm_campaign: `c${i}`,
    visitor_hash: `v${i}`,
    visit_type: 'redirect',
    ...over,
  };
}

interface Conversion {
  conversion_id: string;
  touches: string[];
  event?: string;
  value?: string;
  source?: 'server' | 'browser';
  ts: number;
  received_at?: number;
}

async function insertClicks(...clicks: EnrichedClick[]): Promise<void> {
  await store.client.insert({
    table: 'linktrack.clicks',
    values: clicks.map(clickRow),
    format: 'JSONEachRow',
  });
}

async function insertConversions(...conversions: Conversion[]): Promise<void> {
  await store.client.insert({
    table: 'linktrack.conversions',
    format: 'JSONEachRow',
    values: conversions.map((c) => ({
      conversion_id: c.conversion_id,
      click_id: c.touches.at(-1) ?? ZERO,
      touches: c.touches,
      event: c.event ?? 'purchase',
      value: c.value ?? '10',
      currency: 'EUR',
      source: c.source ?? 'server',
      trust: (c.source ?? 'server') === 'server' ? 2 : 1,
      ts: c.ts,
      received_at: c.received_at ?? c.ts,
    })),
  });
}

interface Credit {
  conversion_id: string;
  click_id: string;
  weight: number;
  credited_value: number;
}

async function credits(model: string, window = 30): Promise<Credit[]> {
  return q<Credit>(
    `SELECT conversion_id, toString(click_id) AS click_id, weight, credited_value
     FROM linktrack.attribution(model = {model:String}, window_days = {window:UInt32})
     ORDER BY conversion_id, click_ts`,
    { model, window },
  );
}

async function outcomes(
  window = 30,
): Promise<Record<string, { outcome: string; bot_reason: string; click_id: string; source: string }>> {
  const rows = await q<{
    conversion_id: string;
    outcome: string;
    bot_reason: string;
    click_id: string;
    source: string;
  }>(
    `SELECT conversion_id, outcome, bot_reason, toString(click_id) AS click_id, source
     FROM linktrack.conversion_outcomes(window_days = {window:UInt32})`,
    { window },
  );
  return Object.fromEntries(rows.map((r) => [r.conversion_id, r]));
}

beforeAll(async () => {
  store = await openStore({
    url: null,
    dataDir: mkdtempSync(join(tmpdir(), 'lt-attribution-')),
    logger: createLogger('silent'),
  });
});

afterAll(async () => {
  await store?.close();
});

describe('attribution', () => {
  it('credits a click whichever of click and conversion lands first', async () => {
    // Click first, then its conversion.
    await insertClicks(click(1));
    await insertConversions({ conversion_id: 'after', touches: [clickId(1)], ts: T0 + 10 * MIN });
    // Conversion first; its click lands a minute later.
    await insertConversions({ conversion_id: 'before', touches: [clickId(2)], ts: T0 + 10 * MIN });
    expect((await credits('last')).filter((c) => c.conversion_id === 'before')).toEqual([]);
    expect((await outcomes()).before?.outcome).toBe('unattributed');
    await insertClicks(click(2));

    const last = (await credits('last')).filter((c) => ['after', 'before'].includes(c.conversion_id));
    expect(last).toEqual([
      { conversion_id: 'after', click_id: clickId(1), weight: 1, credited_value: 10 },
      { conversion_id: 'before', click_id: clickId(2), weight: 1, credited_value: 10 },
    ]);
    const o = await outcomes();
    expect(o.before).toMatchObject({ outcome: 'human', click_id: clickId(2) });
    const [row] = await q<{ utm_campaign: string; seconds_to_convert: number }>(
      `SELECT utm_campaign, seconds_to_convert FROM linktrack.attribution(model = 'last', window_days = 30)
       WHERE conversion_id = 'before'`,
    );
    expect(row).toEqual({ utm_campaign: 'c2', seconds_to_convert: 8 * 60 });
  });

  it('splits multi-touch credit per model, bot touches excluded', async () => {
    // Touches 10..14, oldest first; 12 is a bot, so 4 human touches remain.
    await insertClicks(
      click(10),
      click(11),
      click(12, { is_bot: true, bot_reason: 'prefetch', device_type: 'bot' }),
      click(13),
      click(14),
    );
    await insertConversions({
      conversion_id: 'journey',
      touches: [10, 11, 12, 13, 14].map(clickId),
      value: '100',
      ts: T0 + DAY,
    });
    const byModel = async (model: string) =>
      Object.fromEntries(
        (await credits(model))
          .filter((c) => c.conversion_id === 'journey')
          .map((c) => [c.click_id, Math.round(c.weight * 1e9) / 1e9]),
      );
    expect(await byModel('last')).toEqual({ [clickId(14)]: 1 });
    expect(await byModel('first')).toEqual({ [clickId(10)]: 1 });
    expect(await byModel('linear')).toEqual({
      [clickId(10)]: 0.25,
      [clickId(11)]: 0.25,
      [clickId(13)]: 0.25,
      [clickId(14)]: 0.25,
    });
    expect(await byModel('position')).toEqual({
      [clickId(10)]: 0.4,
      [clickId(11)]: 0.1,
      [clickId(13)]: 0.1,
      [clickId(14)]: 0.4,
    });
    const revenue = (await credits('position'))
      .filter((c) => c.conversion_id === 'journey')
      .reduce((s, c) => s + c.credited_value, 0);
    expect(revenue).toBeCloseTo(100, 9);
  });

  it('gives two touches half each under position, and refuses an unknown model', async () => {
    await insertClicks(click(20), click(21));
    await insertConversions({ conversion_id: 'pair', touches: [clickId(20), clickId(21)], ts: T0 + DAY });
    const pair = (await credits('position')).filter((c) => c.conversion_id === 'pair');
    expect(pair.map((c) => c.weight)).toEqual([0.5, 0.5]);
    await expect(credits('newest')).rejects.toThrow(/model: must be last, first, linear or position/);
  });

  it('orders clicks of the same millisecond as the conversion lists them', async () => {
    // Two clicks stamped in one millisecond; the conversion names the higher click id first.
    const at = T0 + 100 * MIN;
    await insertClicks(click(101, { ts: at }), click(102, { ts: at }));
    await insertConversions({
      conversion_id: 'same-ms',
      touches: [clickId(102), clickId(101)],
      ts: T0 + DAY,
    });
    const of = async (model: string) =>
      (await credits(model)).filter((c) => c.conversion_id === 'same-ms').map((c) => c.click_id);
    expect(await of('last')).toEqual([clickId(101)]);
    expect(await of('first')).toEqual([clickId(102)]);
    expect((await outcomes())['same-ms']?.click_id).toBe(clickId(101));
  });

  it('reports a conversion on a bot click apart, and never credits the bot', async () => {
    await insertClicks(click(30, { is_bot: true, bot_reason: 'email_scanner', device_type: 'bot' }));
    await insertConversions({ conversion_id: 'on-bot', touches: [clickId(30)], ts: T0 + DAY });
    expect((await credits('linear')).filter((c) => c.conversion_id === 'on-bot')).toEqual([]);
    expect((await outcomes())['on-bot']).toMatchObject({
      outcome: 'bot',
      bot_reason: 'email_scanner',
      click_id: clickId(30),
    });
  });

  it('does not credit a click near a honeypot hit of the same visitor', async () => {
    await insertClicks(
      click(40, { visitor_hash: 'scanner-1' }),
      click(41, {
        visitor_hash: 'scanner-1',
        ts: T0 + 40 * MIN + 1000,
        is_bot: true,
        bot_reason: 'honeypot',
        bot_signals: ['honeypot'],
      }),
    );
    await insertConversions({ conversion_id: 'near-honeypot', touches: [clickId(40)], ts: T0 + DAY });
    expect((await outcomes())['near-honeypot']).toMatchObject({ outcome: 'bot', bot_reason: 'honeypot' });
  });

  it('keeps unknown click ids and clicks outside the window unattributed', async () => {
    await insertConversions({ conversion_id: 'unknown', touches: [clickId(999_999)], ts: T0 + DAY });
    await insertClicks(click(50));
    await insertConversions({ conversion_id: 'late', touches: [clickId(50)], ts: T0 + 50 * MIN + 31 * DAY });
    const o = await outcomes();
    expect(o.unknown).toMatchObject({ outcome: 'unattributed', click_id: ZERO });
    expect(o.late?.outcome).toBe('unattributed');
    // A wider window credits it.
    expect((await outcomes(60)).late?.outcome).toBe('human');
    expect((await credits('last', 60)).some((c) => c.conversion_id === 'late')).toBe(true);
  });

  it('counts a conversion id once, and a server copy wins over a browser one in either order', async () => {
    await insertClicks(click(60), click(61), click(62));
    // The same server conversion sent twice (a retry), and a replayed click.
    await insertConversions({ conversion_id: 'retried', touches: [clickId(60)], ts: T0 + DAY });
    await insertConversions({ conversion_id: 'retried', touches: [clickId(60)], ts: T0 + DAY });
    await insertClicks(click(60));
    // A browser copy after the server one, and one before it, each naming another click.
    await insertConversions({ conversion_id: 'srv-first', touches: [clickId(61)], ts: T0 + DAY });
    await insertConversions({
      conversion_id: 'srv-first',
      touches: [clickId(62)],
      source: 'browser',
      value: '999',
      ts: T0 + DAY,
      received_at: T0 + DAY + 5000,
    });
    await insertConversions({
      conversion_id: 'browser-first',
      touches: [clickId(62)],
      source: 'browser',
      value: '999',
      ts: T0 + DAY,
    });
    await insertConversions({
      conversion_id: 'browser-first',
      touches: [clickId(61)],
      ts: T0 + DAY,
      received_at: T0 + DAY + 5000,
    });

    const c = (await credits('last')).filter((r) =>
      ['retried', 'srv-first', 'browser-first'].includes(r.conversion_id),
    );
    expect(c).toEqual([
      { conversion_id: 'browser-first', click_id: clickId(61), weight: 1, credited_value: 10 },
      { conversion_id: 'retried', click_id: clickId(60), weight: 1, credited_value: 10 },
      { conversion_id: 'srv-first', click_id: clickId(61), weight: 1, credited_value: 10 },
    ]);
    const o = await outcomes();
    expect([o['srv-first']?.source, o['browser-first']?.source]).toEqual(['server', 'server']);
  });

  it('feeds funnels: click, landing and conversion steps of human clicks', async () => {
    await insertClicks(click(70), click(71));
    await store.client.insert({
      table: 'linktrack.click_confirmations',
      format: 'JSONEachRow',
      values: [{ click_id: clickId(70), ts: T0 + 70 * MIN + 2000, source: 'beacon' }],
    });
    await insertConversions({
      conversion_id: 'funnel',
      touches: [clickId(70)],
      event: 'signup',
      ts: T0 + 80 * MIN,
    });
    const steps = await q<{ step: string; n: number }>(
      `SELECT step, count() AS n FROM linktrack.journey_events(window_days = 30)
       WHERE click_id IN ('${clickId(70)}', '${clickId(71)}') GROUP BY step ORDER BY step`,
    );
    expect(steps).toEqual([
      { step: 'click', n: 2 },
      { step: 'landing', n: 1 },
      { step: 'signup', n: 1 },
    ]);
  });
});

describe('hourly rollup', () => {
  it('sums human and bot clicks, visitors, conversions and revenue per hour and dimensions', async () => {
    const hour = Date.UTC(2026, 10, 3, 9);
    const slug = 'rollup';
    await insertClicks(
      click(80, { slug, ts: hour + 1000, visitor_hash: 'ra' }),
      click(81, { slug, ts: hour + 2000, visitor_hash: 'ra' }),
      click(82, { slug, ts: hour + 3000, visitor_hash: 'rb' }),
      click(83, { slug, ts: hour + 4000, is_bot: true, bot_reason: 'user_agent', device_type: 'bot' }),
    );
    await insertConversions({
      conversion_id: 'rollup-1',
      touches: [clickId(82)],
      value: '12.5',
      ts: hour + 60_000,
    });
    const rows = await q<{
      device_type: string;
      human: number;
      bots: number;
      visitors: number;
      conversions: number;
      revenue: string;
    }>(
      `SELECT device_type, sum(human_clicks) AS human, sum(bot_clicks) AS bots, uniqMerge(visitors) AS visitors,
              sum(conversions) AS conversions, toString(sum(revenue)) AS revenue
       FROM linktrack.hourly_rollup WHERE slug = {slug:String} AND hour = toDateTime({hour:UInt32}, 'UTC')
       GROUP BY device_type ORDER BY device_type`,
      { slug, hour: hour / 1000 },
    );
    expect(rows).toEqual([
      { device_type: 'bot', human: 0, bots: 1, visitors: 0, conversions: 0, revenue: '0' },
      { device_type: 'desktop', human: 3, bots: 0, visitors: 2, conversions: 1, revenue: '12.5' },
    ]);
  });
});

describe('attribution repair', () => {
  it('adds the row a race between a click and its conversion left out, once', async () => {
    const { startAttributionRepair } = await import('@linktrack/sink');
    await insertClicks(click(90));
    await insertConversions({ conversion_id: 'raced', touches: [clickId(90)], ts: T0 + DAY });
    // What a race leaves: both stored, neither view made the row.
    await store.client.command({
      query: "DELETE FROM linktrack.attributed_conversions WHERE conversion_id = 'raced'",
      clickhouse_settings: { mutations_sync: '2' },
    });
    expect((await outcomes()).raced?.outcome).toBe('unattributed');
    const repair = startAttributionRepair({
      client: store.client,
      logger: createLogger('silent'),
      intervalMs: 60_000,
    });
    try {
      expect(await repair.repair()).toBe(1);
      expect(await repair.repair()).toBe(0);
    } finally {
      await repair.stop();
    }
    expect((await outcomes()).raced).toMatchObject({ outcome: 'human', click_id: clickId(90) });
    expect((await credits('last')).filter((c) => c.conversion_id === 'raced')).toHaveLength(1);
  });
});
