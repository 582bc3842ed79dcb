import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reclassifyClicks, renderProgress } from '@linktrack/cli';
import { bundledAsnPaths } from '@linktrack/config';
import {
  compileNetworkLists,
  createClassifier,
  createReclassifier,
  createUserAgentParser,
  openAsnLookup,
  readNetworkListsFile,
} from '@linktrack/enricher';
import { openStore, type Store } from '@linktrack/store';
import { clickRow, type EnrichedClick } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import { clickId, enrichedClick, UA } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Clicks judged by an older classifier (version 0: the first-reason-only one,
 * without ASNs or network lists) are judged again and rewritten in place, on
 * the real engine.
 */
const T0 = Date.UTC(2026, 9, 1, 12);
const old = (i: number, over: Partial<EnrichedClick>): EnrichedClick => ({
  ...enrichedClick(i, 'spring', T0 + i * 60_000),
  user_agent: UA.chromeDesktop,
  accept_language: 'en-GB',
  request_headers: { 'sec-fetch-mode': 'navigate' },
  ip_prefix: '81.2.69.0/24',
  visitor_hash: `v${i}`,
  ...over,
});

const ROWS: EnrichedClick[] = [
  // A Proofpoint sandbox with a browser's user agent, taken for a person.
  old(0, { ip_prefix: '66.159.227.0/24' }),
  // A HEAD check from curl, recorded with the first classifier's reason only.
  old(1, { method: 'HEAD', user_agent: UA.curl, is_bot: true, bot_reason: 'user_agent', device_type: 'bot' }),
  // Three links within 1.5 s from one client: a burst nobody saw.
  old(2, { slug: 'a', visitor_hash: 'burst', ts: T0 + 600_000 }),
  old(3, { slug: 'b', visitor_hash: 'burst', ts: T0 + 600_700 }),
  old(4, { slug: 'c', visitor_hash: 'burst', ts: T0 + 601_400 }),
  // A prefetch stored before headers were: kept.
  old(5, { request_headers: {}, is_bot: true, bot_reason: 'prefetch', device_type: 'bot' }),
  // A person.
  old(6, {}),
  // Outside the period: untouched.
  old(7, { ts: T0 + 86_400_000, ip_prefix: '66.159.227.0/24' }),
];

let store: Store;
const q = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>();

beforeAll(async () => {
  store = await openStore({
    url: null,
    dataDir: mkdtempSync(join(tmpdir(), 'lt-reclassify-')),
    logger: createLogger('silent'),
  });
  await store.client.insert({ table: 'linktrack.clicks', values: ROWS.map(clickRow), format: 'JSONEachRow' });
  // A purchase on the sandbox's click, credited to a person until the click is judged again.
  await store.client.insert({
    table: 'linktrack.conversions',
    format: 'JSONEachRow',
    values: [
      {
        conversion_id: 'on-sandbox',
        click_id: clickId(0),
        touches: [clickId(0)],
        event: 'purchase',
        value: '10',
        currency: 'EUR',
        source: 'server',
        trust: 2,
        ts: T0 + 600_000,
        received_at: T0 + 600_000,
      },
    ],
  });
});

const outcome = async () =>
  (
    await q<{ outcome: string; bot_reason: string }>(
      `SELECT outcome, bot_reason FROM linktrack.conversion_outcomes(window_days = 30) WHERE conversion_id = 'on-sandbox'`,
    )
  )[0];
afterAll(async () => store?.close());

describe('linktrack reclassify', () => {
  it('rewrites the clicks whose verdict changed, in place, and the scanner clients with them', async () => {
    expect(await outcome()).toEqual({ outcome: 'human', bot_reason: '' });
    const classifier = createClassifier({ networks: compileNetworkLists(readNetworkListsFile()) });
    const progress: [number, number][] = [];
    const result = await reclassifyClicks({
      client: store.client,
      reclassifier: createReclassifier({
        classifier,
        userAgents: createUserAgentParser(),
        asn: openAsnLookup(bundledAsnPaths()),
      }),
      from: T0,
      to: T0 + 3_600_000,
      progress: (done, total) => progress.push([done, total]),
    });
    expect(result.read).toBe(7);
    // Every click in the period now carries the new classifier version.
    expect(result.changed).toBe(7);
    expect(result.moves).toMatchObject({
      '(person) → scanner_network': 1,
      'user_agent → head_request': 1,
      '(person) → burst': 3,
    });
    expect(progress.at(-1)).toEqual([7, 7]);

    const rows = await q<Record<string, unknown>>(
      'SELECT toString(click_id) AS id, is_bot, bot_reason, bot_signals, classifier_version, device_type, toUInt32(asn) AS asn FROM linktrack.clicks ORDER BY id',
    );
    // Rewritten where they were: no second copy of any click, without FINAL.
    expect(rows).toHaveLength(ROWS.length);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const row = (i: number) => byId.get(clickId(i));
    expect(row(0)).toMatchObject({
      is_bot: 1,
      bot_reason: 'scanner_network',
      bot_signals: ['scanner_network'],
      asn: 26211,
      device_type: 'bot',
    });
    expect(row(1)).toMatchObject({ bot_reason: 'head_request', bot_signals: ['head_request', 'ua_bot'] });
    for (const i of [2, 3, 4]) expect(row(i)).toMatchObject({ is_bot: 1, bot_reason: 'burst' });
    expect(row(5)).toMatchObject({ is_bot: 1, bot_reason: 'prefetch' });
    expect(row(6)).toMatchObject({
      is_bot: 0,
      bot_reason: '',
      device_type: 'desktop',
      classifier_version: classifier.version,
    });
    expect(row(7)).toMatchObject({ is_bot: 0, classifier_version: 0 });

    const scanners = await q<{ id: string; signal: string }>(
      'SELECT toString(click_id) AS id, signal FROM linktrack.scanner_clients ORDER BY id',
    );
    expect(scanners).toEqual([2, 3, 4].map((i) => ({ id: clickId(i), signal: 'burst' })));
    const people = await q<{ id: string }>(
      'SELECT toString(click_id) AS id FROM linktrack.human_clicks ORDER BY id',
    );
    expect(people.map((p) => p.id)).toEqual([clickId(6), clickId(7)]);
    // The purchase on the sandbox's click is no longer a person's: reported apart, credited to nobody.
    expect(await outcome()).toEqual({ outcome: 'bot', bot_reason: 'scanner_network' });
  });

  it('changes nothing the second time, or in a dry run', async () => {
    const classifier = createClassifier({ networks: compileNetworkLists(readNetworkListsFile()) });
    const again = () =>
      reclassifyClicks({
        client: store.client,
        reclassifier: createReclassifier({
          classifier,
          userAgents: createUserAgentParser(),
          asn: openAsnLookup(bundledAsnPaths()),
        }),
        from: T0,
        to: T0 + 2 * 86_400_000,
        dryRun: true,
      });
    const dry = await again();
    expect(dry).toMatchObject({ read: 8, changed: 1 });
    expect(
      (
        await q<{ v: number }>(
          `SELECT classifier_version AS v FROM linktrack.clicks WHERE click_id = '${clickId(7)}'`,
        )
      )[0]?.v,
    ).toBe(0);
  });

  it('draws its progress as a bar', () => {
    expect(renderProgress(6_000, 10_000, 120, 10)).toBe(
      'reclassify [██████░░░░]  60% 6,000 / 10,000 clicks, 120 changed',
    );
    expect(renderProgress(0, 0, 0, 4)).toBe('reclassify [████] 100% 0 / 0 clicks, 0 changed');
  });
});
