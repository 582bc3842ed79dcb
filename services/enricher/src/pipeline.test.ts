import { bundledGeoipPaths } from '@linktrack/config';
import { clickEventV1, createCodecs } from '@linktrack/streams';
import { createMetrics } from '@linktrack/telemetry';
import { clickEvent, UA, writerOf } from '@linktrack/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEnrichContext, ENRICHMENTS, type EnrichContext } from './enrichments/index.js';
import { createEnrichPipeline } from './pipeline.js';
import { openGeoLookup } from './resources/geo.js';
import { createUserAgentParser } from './resources/user-agent.js';
import { createEnrichStep } from './steps/enrich-step.js';

const codecs = createCodecs();
const now = Date.UTC(2026, 10, 24, 12);
const raw = clickEvent({ ts: now - 1_000, slug: 'x', ip: '1.1.1.1', user_agent: UA.curl });

let context: EnrichContext;
beforeAll(async () => {
  context = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
});

/** One event through the whole pipeline: its output, or where and why it was dead-lettered. */
function enrichOne(bytes: Buffer) {
  const pipeline = createEnrichPipeline({ codecs, context, metrics: createMetrics(), now: () => now });
  const { values, failed } = pipeline.run([bytes], (b) => b);
  const [failure] = failed;
  return failure
    ? { step: failure.step, reason: failure.reason, error: failure.error.message }
    : codecs.enrichedClick.decode(values[0] as Buffer);
}

describe('enrich pipeline', () => {
  it('runs decode, validate, enrich, burst, verdict and encode, in that order', () => {
    const pipeline = createEnrichPipeline({ codecs, context, metrics: createMetrics() });
    expect(pipeline.steps).toEqual(['decode', 'validate', 'enrich', 'burst', 'verdict', 'encode']);
  });

  it('turns raw bytes into an encoded EnrichedClick', () => {
    expect(enrichOne(codecs.clickEvent.encode(raw))).toMatchObject({
      country: 'AU',
      is_bot: true,
      slug: 'x',
      visit_type: 'redirect',
      link_found: true,
    });
  });

  it('dead-letters undecodable bytes at the decode step instead of throwing', () => {
    expect(enrichOne(Buffer.from('not avro'))).toMatchObject({ step: 'decode', reason: 'undecodable' });
  });

  it('dead-letters a well-formed event with bad values, naming the field', () => {
    const bad = (over: Parameters<typeof clickEvent>[0]) =>
      enrichOne(codecs.clickEvent.encode({ ...raw, ...over }));
    expect(bad({ click_id: 'nope' })).toMatchObject({
      step: 'validate',
      reason: 'invalid_event',
      error: expect.stringMatching(/^click_id:/),
    });
    expect(bad({ ts: now + 3 * 86_400_000 })).toMatchObject({ error: expect.stringMatching(/^ts:/) });
    expect(bad({ slug: '' })).toMatchObject({ error: expect.stringMatching(/^slug:/) });
    expect(bad({ visit_type: 'teleported' as never })).toMatchObject({
      error: expect.stringMatching(/^visit_type:/),
    });
    expect(bad({ slug: '', visit_type: 'base_url', link_found: false })).toMatchObject({
      visit_type: 'base_url',
    });
  });

  it('derives visit_type from link_found for clicks from a redirect that predates it', () => {
    const { visit_type: _, ...old } = raw;
    expect(
      enrichOne(writerOf(clickEventV1).encode({ ...old, link_found: false, destination: '' })),
    ).toMatchObject({
      visit_type: 'unknown_slug',
      link_found: false,
    });
  });
});

describe('enrich step', () => {
  it('combines every enrichment, and a bot never counts as a device', () => {
    const step = createEnrichStep({ context });
    const out = step.run(clickEvent({ user_agent: UA.googlebot, ip: '8.8.8.8', referer: 'https://t.co/x' }));
    expect(out).toMatchObject({
      kind: 'ok',
      value: {
        country: 'US',
        device_type: 'bot',
        is_bot: true,
        utm_campaign: 'spring',
        referrer_domain: 't.co',
        ip_prefix: '8.8.8.0/24',
        link_found: true,
        visit_type: 'redirect',
      },
    });
  });

  it('dead-letters a click whose enrichment throws under the name of that enrichment', () => {
    const broken = ENRICHMENTS.map((e) =>
      e.name === 'geo'
        ? {
            name: 'geo',
            run: () => {
              throw new Error('mmdb read failed');
            },
          }
        : e,
    );
    const out = createEnrichStep({ context, enrichments: broken }).run(clickEvent());
    expect(out).toMatchObject({ kind: 'dlq', reason: 'geo_failed', error: { message: 'mmdb read failed' } });
  });

  it('flags every click of a burst still in the batch, and counts the verdicts once per batch', async () => {
    const metrics = createMetrics();
    const pipeline = createEnrichPipeline({ codecs, context, metrics, now: () => now });
    const person = { ip: '86.130.1.2', user_agent: UA.iphone, accept_language: 'en-GB' };
    const bytes = ['a', 'b', 'c'].map((slug, i) =>
      codecs.clickEvent.encode(
        clickEvent({
          ...person,
          click_id: `01936f6e-8c1a-7b2e-9f00-00000000000${i}`,
          slug,
          ts: now - 2_000 + i * 500,
        }),
      ),
    );
    const out = pipeline.run(bytes, (b) => b).values.map((v) => codecs.enrichedClick.decode(v));
    expect(out.map((c) => [c.slug, c.is_bot, c.bot_reason])).toEqual([
      ['a', true, 'burst'],
      ['b', true, 'burst'],
      ['c', true, 'burst'],
    ]);
    const counted = await metrics.enricherClicks.get();
    expect(counted.values.map((v) => [v.labels, v.value])).toEqual([[{ is_bot: '1', reason: 'burst' }, 3]]);
  });
});
