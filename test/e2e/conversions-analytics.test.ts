import type { RunningStack } from '@linktrack/cli';
import { UA } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credits,
  funnelCounts,
  funnelLevels,
  latestById,
  MODELS,
  metricsOf,
  outcomeOf,
  type RefClick,
  type RefConversion,
  round,
} from '../support/attribution-reference.js';
import { startTestStack } from '../support/test-stack.js';
import { waitFor } from '../support/wait.js';

/**
 * Conversions over clicks, end to end on the embedded stack, on a
 * deterministic dataset: three campaigns over several sources, people and
 * bots, landing confirmations, and conversions sent as a server would —
 * retried, in batches, before their click was stored, on unknown click ids,
 * on bot clicks, and over multi-touch journeys. The expected numbers come from
 * an independent model of the dataset (test/support/attribution-reference.ts);
 * summary, breakdown, funnel and every attribution model must match exactly.
 */
const API_KEY = 'conversions-e2e-key-0123456789';
const SHOP = 'https://shop.example';
const LINKS = [
  { slug: 'spring-news', campaign: 'spring', source: 'newsletter', medium: 'email' },
  { slug: 'spring-tw', campaign: 'spring', source: 'twitter', medium: 'social' },
  { slug: 'summer-g', campaign: 'summer', source: 'google', medium: 'cpc' },
  { slug: 'summer-fb', campaign: 'summer', source: 'facebook', medium: 'social' },
  { slug: 'autumn-news', campaign: 'autumn', source: 'newsletter', medium: 'email' },
  { slug: 'autumn-partner', campaign: 'autumn', source: 'partner', medium: 'referral' },
] as const;
const CAMPAIGNS = ['spring', 'summer', 'autumn'];

let stack: RunningStack;
const clicks = new Map<string, RefClick>();
const sent: RefConversion[] = [];
let from = 0;

const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: auth,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Deterministic choices: a small linear congruential generator. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function click(linkIndex: number, visitor: number, kind: 'human' | 'mobile' | 'curl' | 'googlebot') {
  const link = LINKS[linkIndex] as (typeof LINKS)[number];
  const ua = { human: UA.chromeDesktop, mobile: UA.iphone, curl: UA.curl, googlebot: UA.googlebot }[kind];
  const res = await fetch(`${stack.redirectUrl}/${link.slug}`, {
    redirect: 'manual',
    headers: {
      'user-agent': ua,
      'x-forwarded-for': `81.${2 + (visitor >> 8)}.${visitor & 255}.10`,
      'accept-language': 'en-GB',
      ...(kind === 'human' || kind === 'mobile'
        ? { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' }
        : {}),
    },
  });
  await res.arrayBuffer();
  expect(res.status).toBe(302);
  const id = new URL(res.headers.get('location') as string).searchParams.get('lt_cid');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const ref: RefClick = {
    id: id as string,
    seq: clicks.size,
    slug: link.slug,
    campaign: link.campaign,
    source: link.source,
    medium: link.medium,
    human: kind === 'human' || kind === 'mobile',
    visitor: `${visitor}/${kind}`,
    landedAfter: null,
  };
  clicks.set(ref.id, ref);
  return ref;
}

async function convert(...conversions: { id: string; touches: string[]; event: string; value: string }[]) {
  const body = conversions.map((c) => ({
    id: c.id,
    click_id: c.touches.at(-1),
    touches: c.touches,
    event: c.event,
    value: c.value,
    currency: 'EUR',
  }));
  const res = await api<{ accepted: number }>(
    '/v1/conversions',
    body.length === 1 ? body[0] : { conversions: body },
  );
  expect(res.accepted).toBe(body.length);
  for (const c of conversions) sent.push({ ...c, value: Number(c.value), seq: sent.length });
}

beforeAll(async () => {
  stack = await startTestStack('conversions-e2e', API_KEY, {
    LINKTRACK_TRUST_PROXY: 'true',
    LINKTRACK_ALLOWED_ORIGINS: SHOP,
  });
  from = Date.now() - 60_000;
  for (const link of LINKS) {
    const q = `utm_source=${link.source}&utm_medium=${link.medium}&utm_campaign=${link.campaign}`;
    await api('/v1/links', {
      url: `${SHOP}/${link.campaign}?${q}`,
      slug: link.slug,
      track_conversions: true,
    });
  }

  const random = prng(20261204);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  let visitor = 1;
  let conversion = 0;
  const nextId = () => `order-${++conversion}`;
  const humans: RefClick[] = [];
  const bots: RefClick[] = [];

  // 48 single clicks: people on desktops and phones, and bots, over every link.
  for (let i = 0; i < 48; i++) {
    const kind = i % 6 === 5 ? pick(['curl', 'googlebot'] as const) : pick(['human', 'mobile'] as const);
    const c = await click(i % LINKS.length, visitor++, kind);
    (c.human ? humans : bots).push(c);
    // Every fourth person converts at once: the conversion is sent before its click can be stored.
    if (c.human && i % 4 === 0) await convert({ id: nextId(), touches: [c.id], event: 'signup', value: '0' });
  }
  // Multi-touch journeys: two or three clicks on different links before converting, the first two
  // from one visitor (more, within seconds, would be a burst), some of them bots.
  const journeys: RefClick[][] = [];
  for (let j = 0; j < 6; j++) {
    const who = visitor++;
    const n = 2 + (j % 2);
    const touches: RefClick[] = [];
    for (let t = 0; t < n; t++)
      touches.push(
        await click(
          (j + t * 2) % LINKS.length,
          t < 2 ? who : visitor++,
          t === 1 && j % 3 === 0 ? 'curl' : 'human',
        ),
      );
    journeys.push(touches);
  }

  // The first-party script confirms the landing of every third person.
  for (const c of humans.filter((_, i) => i % 3 === 0)) {
    const res = await fetch(`${stack.redirectUrl}/v1/collect`, {
      method: 'POST',
      headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ type: 'confirm', click_id: c.id }),
    });
    expect(res.status).toBe(204);
    c.landedAfter = sent.length;
  }

  // Signups, then purchases (so a funnel sees them in that order), in one batch and one by one.
  const signups = humans
    .filter((_, i) => i % 2 === 1)
    .map((c) => ({ id: nextId(), touches: [c.id], event: 'signup', value: '0' }));
  await convert(...signups);
  for (const [i, c] of humans.entries()) {
    if (i % 3 !== 1) continue;
    const purchase = { id: nextId(), touches: [c.id], event: 'purchase', value: (10 + i * 1.25).toFixed(2) };
    await convert(purchase);
    // A server retrying the same purchase: one conversion.
    if (i % 2 === 0) await convert(purchase);
  }
  for (const [j, touches] of journeys.entries())
    await convert({
      id: nextId(),
      touches: touches.map((t) => t.id),
      event: 'purchase',
      value: (50 + j * 7.5).toFixed(2),
    });
  // Conversions on bot clicks (classifier false positives to look at), and on clicks nobody knows.
  await convert(
    { id: nextId(), touches: [(bots[0] as RefClick).id], event: 'purchase', value: '30.00' },
    { id: nextId(), touches: [(bots[1] as RefClick).id], event: 'signup', value: '0' },
  );
  await convert({
    id: nextId(),
    touches: ['0193aaaa-0000-7000-8000-000000000001'],
    event: 'purchase',
    value: '99.00',
  });
  await convert({
    id: nextId(),
    touches: ['0193aaaa-0000-7000-8000-000000000002'],
    event: 'signup',
    value: '0',
  });

  // Everything stored: every click, every distinct conversion, and every touch whose click exists
  // joined to it (a touch raced by its click's insert is added by the sink's repair within seconds).
  const latest = latestById(sent);
  const touchRows = latest.reduce((n, c) => n + c.touches.filter((id) => clicks.has(id)).length, 0);
  await waitFor(
    () =>
      api<{ data: { clicks: string; conversions: string; touches: string }[] }>('/v1/sql', {
        query: `SELECT (SELECT count() FROM linktrack.clicks) AS clicks,
                       (SELECT count() FROM linktrack.conversions) AS conversions,
                       (SELECT count() FROM linktrack.attributed_touches) AS touches`,
      }),
    (r) =>
      Number(r.data[0]?.clicks) === clicks.size &&
      Number(r.data[0]?.conversions) === latest.length &&
      Number(r.data[0]?.touches) === touchRows,
    30_000,
    200,
  );
}, 180_000);
afterAll(async () => stack?.stop());

const range = () => `from=${from}&to=${Date.now() + 60_000}`;

describe('conversions and analytics on a deterministic dataset', () => {
  it('stores people and bots as the dataset says', async () => {
    const rows = (
      await api<{ data: { id: string; is_bot: number }[] }>('/v1/sql', {
        query: 'SELECT toString(click_id) AS id, is_bot FROM linktrack.clicks',
      })
    ).data;
    expect(rows).toHaveLength(clicks.size);
    for (const row of rows) expect(row.is_bot === 0, row.id).toBe(clicks.get(row.id)?.human);
    const human = [...clicks.values()].filter((c) => c.human).length;
    expect(human).toBeGreaterThan(30);
    expect(clicks.size - human).toBeGreaterThan(5);
  });

  it('gives the summary of every campaign under every attribution model', async () => {
    for (const model of MODELS) {
      const credited = credits(clicks, sent, model);
      for (const campaign of CAMPAIGNS) {
        const inCampaign = [...clicks.values()].filter((c) => c.campaign === campaign);
        const expected = metricsOf(
          inCampaign,
          credited.filter((c) => c.click.campaign === campaign),
        );
        const got = await api<Record<string, number>>(
          `/v1/analytics/summary?campaign=${campaign}&model=${model}&${range()}`,
        );
        expect(
          {
            clicks: got.clicks,
            human_clicks: got.human_clicks,
            bot_clicks: got.bot_clicks,
            unique_visitors: got.unique_visitors,
            conversions: got.conversions,
            revenue: Number(got.revenue),
          },
          `${model} ${campaign}`,
        ).toEqual({
          clicks: expected.clicks,
          human_clicks: expected.human_clicks,
          bot_clicks: expected.bot_clicks,
          unique_visitors: expected.unique_visitors,
          conversions: expected.conversions,
          revenue: expected.revenue,
        });
        // The api rounds rates to 6 decimals.
        expect(got.conversion_rate).toBeCloseTo(expected.conversion_rate, 6);
      }
    }
  });

  it('reports unattributed and bot-click conversions apart from the credited ones', async () => {
    const latest = latestById(sent);
    const got = await api<Record<string, number>>(`/v1/analytics/summary?${range()}`);
    expect(got.unattributed_conversions).toBe(
      latest.filter((c) => outcomeOf(clicks, c) === 'unattributed').length,
    );
    expect(got.bot_conversions).toBe(latest.filter((c) => outcomeOf(clicks, c) === 'bot').length);
    expect(got.conversions).toBe(latest.filter((c) => outcomeOf(clicks, c) === 'human').length);
  });

  it('breaks down by source, with the same metrics', async () => {
    for (const model of ['last', 'linear'] as const) {
      const credited = credits(clicks, sent, model);
      const got = await api<{
        rows: {
          value: string;
          human_clicks: number;
          bot_clicks: number;
          conversions: number;
          revenue: number;
        }[];
      }>(`/v1/analytics/breakdown?dimension=utm_source&model=${model}&${range()}`);
      const sources = [...new Set(LINKS.map((l) => l.source))];
      const expected = sources
        .map((source) => {
          const m = metricsOf(
            [...clicks.values()].filter((c) => c.source === source),
            credited.filter((c) => c.click.source === source),
          );
          return {
            value: source,
            human_clicks: m.human_clicks,
            bot_clicks: m.bot_clicks,
            conversions: m.conversions,
            revenue: m.revenue,
          };
        })
        .sort((a, b) => a.value.localeCompare(b.value));
      const rows = got.rows
        .map((r) => ({
          value: r.value,
          human_clicks: r.human_clicks,
          bot_clicks: r.bot_clicks,
          conversions: r.conversions,
          revenue: Number(r.revenue),
        }))
        .sort((a, b) => a.value.localeCompare(b.value));
      expect(rows, model).toEqual(expected);
    }
  });

  it('adds the time series up to the summary, from a range that does not start on the hour', async () => {
    const expected = metricsOf([...clicks.values()], credits(clicks, sent, 'last'));
    const got = await api<{ points: Record<string, number>[] }>(
      `/v1/analytics/timeseries?interval=hour&include_bots=true&${range()}`,
    );
    const sum = (key: string) => got.points.reduce((s, p) => s + Number(p[key]), 0);
    expect({
      clicks: sum('clicks'),
      human_clicks: sum('human_clicks'),
      bot_clicks: sum('bot_clicks'),
      conversions: round(sum('conversions'), 6),
      revenue: round(sum('revenue'), 4),
    }).toEqual({
      clicks: expected.clicks,
      human_clicks: expected.human_clicks,
      bot_clicks: expected.bot_clicks,
      conversions: expected.conversions,
      revenue: expected.revenue,
    });
  });

  it('counts each funnel step per campaign', async () => {
    const last = credits(clicks, sent, 'last');
    for (const steps of [
      ['click', 'signup', 'purchase'],
      ['click', 'landing', 'signup'],
    ]) {
      const levels = funnelLevels([...clicks.values()], last, steps);
      const got = await api<{ groups: { group: string; counts: number[] }[] }>(
        `/v1/analytics/funnel?steps=${steps.join(',')}&window=7d&group_by=utm_campaign&${range()}`,
      );
      for (const campaign of CAMPAIGNS) {
        const inCampaign = [...levels.entries()]
          .filter(([id]) => clicks.get(id)?.campaign === campaign)
          .map(([, l]) => l);
        expect(got.groups.find((g) => g.group === campaign)?.counts, `${steps} ${campaign}`).toEqual(
          funnelCounts(inCampaign, steps.length),
        );
      }
    }
  });
});
