import type { ClickHouseClient } from '@clickhouse/client';
import { clickRow, type EnrichedClick } from '@linktrack/streams';
import { clickId, enrichedClick } from './clicks.js';
import { linkEvent } from './links.js';

/**
 * A small, deterministic analytics dataset: links, human and bot clicks across
 * campaigns, channels, countries and devices, browser confirmations and
 * conversions (server and browser, multi-touch, unattributed, bot-attributed).
 * Dashboards and the analysts' example queries both run against it, so every
 * panel and every documented query has rows to return.
 */
export interface AnalyticsDataset {
  /** The first click's time; every event lies within the three days after it. */
  from: number;
  /** Just after the last event. */
  to: number;
  clicks: EnrichedClick[];
  confirmations: { click_id: string; ts: number; source: string }[];
  conversions: ConversionRow[];
}

export interface ConversionRow {
  conversion_id: string;
  click_id: string;
  touches: string[];
  event: string;
  value: string;
  currency: string;
  source: 'server' | 'browser';
  trust: number;
  ts: number;
  received_at: number;
}

const HOUR = 3_600_000;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** Campaign × channel of each link; the empty campaign is a link shared without UTMs. */
const LINKS = [
  { slug: 'spring-mail', utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring' },
  { slug: 'spring-fb', utm_source: 'facebook', utm_medium: 'social', utm_campaign: 'spring' },
  { slug: 'summer-ads', utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'summer' },
  { slug: 'launch-x', utm_source: 'twitter', utm_medium: 'social', utm_campaign: 'launch' },
  { slug: 'plain', utm_source: '', utm_medium: '', utm_campaign: '' },
] as const;

const PLACES = [
  { country: 'GB', region: 'England', city: 'London' },
  { country: 'US', region: 'California', city: 'San Francisco' },
  { country: 'DE', region: 'Berlin', city: 'Berlin' },
  { country: 'FR', region: 'Île-de-France', city: 'Paris' },
] as const;

const DEVICES = [
  { device_type: 'desktop', os: 'Windows', browser: 'Chrome' },
  { device_type: 'mobile', os: 'iOS', browser: 'Mobile Safari' },
  { device_type: 'tablet', os: 'iOS', browser: 'Mobile Safari' },
] as const;

const BOT_REASONS = ['user_agent', 'prefetch', 'datacenter'] as const;

/**
 * Builds the dataset. `base` defaults to the start of the UTC day three days
 * ago, so queries over "the last 7 days" and "today" both find rows.
 */
export function analyticsDataset(base = defaultBase()): AnalyticsDataset {
  const clicks: EnrichedClick[] = [];
  const click = (over: Partial<EnrichedClick>, at: number): EnrichedClick => {
    const i = clicks.length + 1;
    const row = { ...enrichedClick(i, 'plain', at), visitor_hash: `visitor-${i}`, ...over };
    clicks.push(row);
    return row;
  };

  // 60 people over three days: every link, place and device, a QR scan in seven.
  for (let i = 0; i < 60; i++) {
    const link = LINKS[i % LINKS.length] as (typeof LINKS)[number];
    click(
      {
        slug: link.slug,
        destination: `https://shop.example/${link.slug}`,
        utm_source: link.utm_source,
        utm_medium: link.utm_medium,
        utm_campaign: link.utm_campaign,
        referrer_medium: link.utm_medium === 'email' ? 'email' : link.utm_medium === '' ? 'direct' : 'social',
        ...PLACES[i % PLACES.length],
        ...DEVICES[i % DEVICES.length],
        trigger: i % 7 === 0 ? 'qr' : 'link',
        visitor_hash: `person-${i % 40}`,
      },
      base + (i % 3) * 24 * HOUR + (8 + (i % 12)) * HOUR + i * 1000,
    );
  }
  // Twelve bots and scanners, on the same links.
  for (let i = 0; i < 12; i++) {
    const link = LINKS[i % LINKS.length] as (typeof LINKS)[number];
    const reason = BOT_REASONS[i % BOT_REASONS.length] as string;
    click(
      {
        slug: link.slug,
        utm_source: link.utm_source,
        utm_medium: link.utm_medium,
        utm_campaign: link.utm_campaign,
        is_bot: true,
        bot_reason: reason,
        bot_signals: [reason],
        device_type: 'bot',
        os: '',
        browser: '',
        country: 'US',
        trigger: i % 4 === 0 ? 'qr' : 'link',
        visitor_hash: `bot-${i}`,
      },
      base + (i % 3) * 24 * HOUR + 6 * HOUR + i * 60_000,
    );
  }
  // A mail scanner: its honeypot hit makes its browser-looking click a second later no person.
  click(
    {
      slug: 'spring-mail',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      is_bot: true,
      bot_reason: 'honeypot',
      bot_signals: ['honeypot'],
      device_type: 'bot',
      visitor_hash: 'scanner-1',
    },
    base + 5 * HOUR,
  );
  const scanned = click(
    {
      slug: 'spring-mail',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      visitor_hash: 'scanner-1',
    },
    base + 5 * HOUR + 1000,
  );

  const humans = clicks.filter((c) => !c.is_bot && c !== scanned);
  const bots = clicks.filter((c) => c.is_bot);
  // Two thirds of the people's landing pages confirmed by the first-party script.
  const confirmations = humans
    .filter((_, i) => i % 3 !== 2)
    .map((c) => ({ click_id: c.click_id, ts: c.ts + 2000, source: 'beacon' }));

  const conversions: ConversionRow[] = [];
  const convert = (
    id: string,
    touches: EnrichedClick[],
    event: string,
    value: number,
    source: 'server' | 'browser',
    afterMs: number,
  ) => {
    const last = touches.at(-1);
    const ts = (last?.ts ?? base) + afterMs;
    conversions.push({
      conversion_id: id,
      click_id: last?.click_id ?? ZERO_UUID,
      touches: touches.map((t) => t.click_id),
      event,
      value: value.toFixed(4),
      currency: value > 0 ? 'EUR' : '',
      source,
      trust: source === 'server' ? 2 : 1,
      ts,
      received_at: ts + 500,
    });
  };
  // Every other confirmed person signs up within the hour; every fourth buys the next day.
  humans.forEach((c, i) => {
    if (i % 3 === 2 || i % 2 === 1) return;
    convert(`signup-${i}`, [c], 'signup', 0, i % 4 === 0 ? 'server' : 'browser', 20 * 60_000 + i * 1000);
    if (i % 4 === 0)
      convert(`purchase-${i}`, [c], 'purchase', 20 + i, i % 8 === 0 ? 'server' : 'browser', 26 * HOUR);
  });
  // Journeys of several touches for the multi-touch models (same visitor, different links).
  const byVisitor = new Map<string, EnrichedClick[]>();
  for (const c of humans) byVisitor.set(c.visitor_hash, [...(byVisitor.get(c.visitor_hash) ?? []), c]);
  let multi = 0;
  for (const journey of byVisitor.values()) {
    if (journey.length < 2 || multi >= 6) continue;
    convert(`multi-${multi}`, journey, 'purchase', 100 + multi * 10, 'server', 30 * 60_000);
    multi++;
  }
  // A conversion sent twice (browser, then server): one conversion, the server's copy.
  const twice = humans[4] as EnrichedClick;
  convert('dup-1', [twice], 'purchase', 75, 'browser', HOUR);
  convert('dup-1', [twice], 'purchase', 75, 'server', HOUR);
  // Nothing to credit: no click id at all, and a click id linktrack never saw.
  convert('orphan-1', [], 'signup', 0, 'server', 40 * HOUR);
  conversions.push({
    ...(conversions.at(-1) as ConversionRow),
    conversion_id: 'orphan-2',
    click_id: clickId(9_999),
    touches: [clickId(9_999)],
  });
  // Credited to a bot only: a classifier false positive worth a look.
  convert('bot-touch-1', [bots[1] as EnrichedClick], 'purchase', 30, 'server', 10 * 60_000);

  const to = Math.max(...clicks.map((c) => c.ts), ...conversions.map((c) => c.ts)) + 1000;
  return { from: base, to, clicks, confirmations, conversions };
}

/** Inserts the dataset (and a link row per slug) through the client. */
export async function seedAnalyticsDataset(
  client: ClickHouseClient,
  dataset = analyticsDataset(),
): Promise<AnalyticsDataset> {
  const links = LINKS.map((l) => {
    const { claim_id: _claim, ...row } = linkEvent(l.slug, `https://shop.example/${l.slug}`, {
      ...l,
      created_at: 0,
      updated_at: 0,
    });
    return {
      ...row,
      created_at: seconds(dataset.from - 24 * HOUR),
      updated_at: seconds(dataset.from - 24 * HOUR),
    };
  });
  await client.insert({ table: 'linktrack.links', values: links, format: 'JSONEachRow' });
  await client.insert({
    table: 'linktrack.clicks',
    values: dataset.clicks.map(clickRow),
    format: 'JSONEachRow',
  });
  await client.insert({
    table: 'linktrack.click_confirmations',
    values: dataset.confirmations.map((c) => ({ ...c, ts: seconds(c.ts) })),
    format: 'JSONEachRow',
  });
  // One insert per copy, so the duplicate really is two rows until FINAL (or a merge) collapses it.
  for (const part of splitDuplicates(dataset.conversions)) {
    const values = part.map((c) => ({ ...c, ts: seconds(c.ts), received_at: seconds(c.received_at) }));
    await client.insert({ table: 'linktrack.conversions', values, format: 'JSONEachRow' });
  }
  return dataset;
}

/** The rows split so that no insert holds two copies of one conversion id. */
function splitDuplicates(rows: ConversionRow[]): ConversionRow[][] {
  const parts: ConversionRow[][] = [];
  for (const row of rows) {
    const part = parts.find((p) => !p.some((r) => r.conversion_id === row.conversion_id));
    if (part) part.push(row);
    else parts.push([row]);
  }
  return parts;
}

/** DateTime64(3) text from epoch milliseconds: a bare number is read as seconds. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function defaultBase(): number {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 3);
}
