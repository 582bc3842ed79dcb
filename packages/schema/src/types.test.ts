import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { clickEventV1, deadLetterV1, enrichedClickV1, linkEventV1 } from './index.js';
import type { ClickEvent, DeadLetter, EnrichedClick, LinkEvent } from './types.js';

// Each sample is typed with `satisfies Required<...>`: the compiler rejects a missing
// or extra key, and the test rejects a key the Avro schema lacks or has in addition.
const clickEvent = {
  click_id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
  ts: 1,
  slug: 's',
  method: 'GET',
  ip: '192.0.2.1',
  user_agent: '',
  referer: '',
  accept_language: '',
  query: '',
  headers: {},
  link_found: true,
  destination: 'https://example.com/',
} satisfies Required<ClickEvent>;

const enrichedClick = {
  click_id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
  ts: 1,
  slug: 's',
  destination: '',
  method: 'GET',
  link_found: false,
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_term: '',
  utm_content: '',
  referrer: '',
  referrer_domain: '',
  country: '',
  region: '',
  city: '',
  device_type: 'desktop',
  os: '',
  browser: '',
  is_bot: false,
  bot_reason: '',
  ip_prefix: '',
  user_agent: '',
  accept_language: '',
  query: '',
} satisfies Required<EnrichedClick>;

const linkEvent = {
  slug: 's',
  url: 'https://example.com/',
  destination: 'https://example.com/',
  status: 'active',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  utm_term: '',
  utm_content: '',
  created_at: 1,
  updated_at: 1,
  claim_id: '',
} satisfies Required<LinkEvent>;

const deadLetter = {
  ts: 1,
  stage: 'enricher.decode',
  reason: 'undecodable',
  error: 'bad header',
  source_topic: 'linktrack.clicks.raw',
  source_partition: 0,
  source_offset: '7',
  payload: Buffer.from([1, 2, 3]),
} satisfies Required<DeadLetter>;

const cases = [
  ['ClickEvent', clickEventV1, clickEvent],
  ['EnrichedClick', enrichedClickV1, enrichedClick],
  ['LinkEvent', linkEventV1, linkEvent],
  ['DeadLetter', deadLetterV1, deadLetter],
] as const;

describe('TypeScript types stay in sync with the Avro schemas', () => {
  it.each(cases)(
    '%s has exactly the schema fields, in order, and a valid sample',
    (_name, schema, sample) => {
      expect(Object.keys(sample)).toEqual(schema.fields.map((f) => f.name));
      expect(avro.Type.forSchema(schema as unknown as avro.Schema).isValid(sample)).toBe(true);
    },
  );
});
