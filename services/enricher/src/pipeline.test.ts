import { bundledGeoipPaths } from '@linktrack/config';
import { type ClickEvent, createCodecs } from '@linktrack/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEnrichContext, type EnrichContext } from './enrichments/index.js';
import { createEnrichPipeline } from './pipeline.js';
import { openGeoLookup } from './resources/geo.js';
import { createUserAgentParser } from './resources/user-agent.js';

const codecs = createCodecs();
const now = Date.UTC(2026, 10, 24, 12);
const raw: ClickEvent = {
  click_id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
  ts: now - 1_000,
  slug: 'x',
  method: 'GET',
  ip: '1.1.1.1',
  user_agent: 'curl/8.5.0',
  referer: '',
  accept_language: '',
  query: '',
  headers: {},
  link_found: false,
  destination: '',
};

let context: EnrichContext;
beforeAll(async () => {
  context = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
});

describe('enrich pipeline', () => {
  it('turns raw bytes into an encoded EnrichedClick', () => {
    const pipeline = createEnrichPipeline({ codecs, context, now: () => now });
    const result = pipeline(codecs.clickEvent.encode(raw));
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(codecs.enrichedClick.decode(result.value)).toMatchObject({
      country: 'AU',
      is_bot: true,
      slug: 'x',
    });
  });

  it('dead-letters undecodable bytes at the decode step instead of throwing', () => {
    const pipeline = createEnrichPipeline({ codecs, context, now: () => now });
    const result = pipeline(Buffer.from('not avro'));
    expect(result).toMatchObject({ kind: 'dlq', reason: 'undecodable', stage: 'decode' });
  });

  it('dead-letters a well-formed event with bad values, naming the field', () => {
    const pipeline = createEnrichPipeline({ codecs, context, now: () => now });
    const result = pipeline(codecs.clickEvent.encode({ ...raw, click_id: 'nope' }));
    expect(result).toMatchObject({ kind: 'dlq', reason: 'invalid_event', stage: 'validate' });
    if (result.kind === 'dlq') expect(result.error.message).toMatch(/^click_id:/);
    const late = pipeline(codecs.clickEvent.encode({ ...raw, ts: now + 3 * 86_400_000 }));
    expect(late.kind === 'dlq' && late.error.message).toMatch(/^ts:/);
  });
});
