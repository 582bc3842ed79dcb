import { clickEvent, writerOf } from '@linktrack/test-support';
import avro from 'avsc';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ClickEvent,
  type ConversionEvent,
  clickEventV1,
  codecName,
  createCodecs,
  type DeadLetter,
  type EnrichedClick,
  type LinkEvent,
  STREAMS,
  TOPIC_CONTRACTS,
  tsvRowWriter,
  type VisitType,
} from './index.js';

/**
 * Fingerprints of every released version. A released schema never changes:
 * running readers know it by this fingerprint. Change a record by adding a
 * version with new fields that have defaults.
 */
const RELEASED = {
  'io.linktrack.ClickEvent': ['5afe166d97154b87', '9ba7fb8281fe7d7d', '65cd6efc8963fc8a', '64a67aabb87dfb0e'],
  'io.linktrack.EnrichedClick': [
    'a0687e361eb7b81c',
    '76ea46bb3c61931c',
    '16a94d72bfecb83e',
    '37cf58c9e873d210',
  ],
  'io.linktrack.LinkEvent': ['53b03af59e1c2f66', 'fcc217460bf46be3'],
  'io.linktrack.DeadLetter': ['fe091e199a0ff690'],
  'io.linktrack.ClickConfirmation': ['81525456f1f36e1c'],
  'io.linktrack.ConversionEvent': ['321e9e77b00a6e05'],
};

const streams = Object.values(STREAMS);
const typeOf = (schema: object) => avro.Type.forSchema(schema as avro.Schema);

describe('stream contracts', () => {
  it.each(streams.map((s) => [s.topic, s] as const))(
    '%s keeps the fingerprints of its released versions',
    (_topic, stream) => {
      const versions = [...stream.history, stream.schema].map((v) => writerOf(v));
      const name = versions[0]?.name as string;
      const released: readonly string[] | undefined = RELEASED[name as keyof typeof RELEASED];
      expect(released, `pin the fingerprints of ${name} in RELEASED once it is released`).toBeDefined();
      expect(versions.map((c) => c.fingerprint).slice(0, released?.length)).toEqual(released);
    },
  );

  it.each(streams.map((s) => [s.topic, s] as const))(
    '%s: each version and the next read each other (fields are only added, with defaults)',
    (_topic, stream) => {
      const versions = [...stream.history, stream.schema].map(typeOf);
      for (let i = 1; i < versions.length; i++) {
        const [older, newer] = [versions[i - 1] as avro.Type, versions[i] as avro.Type];
        expect(() => newer.createResolver(older)).not.toThrow();
        expect(() => older.createResolver(newer)).not.toThrow();
      }
    },
  );

  it('gives every topic one contract, and the sink a group that reads the stream', () => {
    const topics = TOPIC_CONTRACTS.map((t) => t.topic);
    expect(new Set(topics).size).toBe(topics.length);
    expect(topics.sort()).toEqual([...streams.map((s) => s.topic), 'schemas'].sort());
    for (const s of streams) {
      if (s.table) expect(s.readers.map((r) => r.group)).toContain(s.table.group);
    }
    const groups = TOPIC_CONTRACTS.flatMap((t) => t.readers.map((r) => `${t.topic}:${r.group}`));
    expect(new Set(groups).size).toBe(groups.length);
  });

  it("derives a conversion row's trust from its source, after the fields", () => {
    const table = STREAMS.conversions.table as NonNullable<typeof STREAMS.conversions.table>;
    const conversion: ConversionEvent = {
      conversion_id: 'order-1',
      click_id: '01936f6e-8c1a-7b2e-9f00-000000000007',
      touches: ['01936f6e-8c1a-7b2e-9f00-000000000007'],
      event: 'purchase',
      value: '19.9900',
      currency: 'EUR',
      source: 'browser',
      ts: 1_732_449_600_007,
      received_at: 1_732_449_600_008,
    };
    expect(table.toRow(conversion)).toMatchObject({ source: 'browser', trust: 1 });
    expect(table.toRow({ ...conversion, source: 'server' })).toMatchObject({ trust: 2 });
    const writer = tsvRowWriter(STREAMS.conversions.schema, table);
    expect(writer.columns.at(-1)).toBe('trust');
    expect(writer.line(conversion)).toBe(
      "order-1\t01936f6e-8c1a-7b2e-9f00-000000000007\t['01936f6e-8c1a-7b2e-9f00-000000000007']\tpurchase\t19.9900\tEUR\tbrowser\t1732449600.007\t1732449600.008\t1",
    );
  });

  it('derives one codec per record, reading every earlier version', () => {
    const codecs = createCodecs();
    expect(Object.keys(codecs).sort()).toEqual(streams.map(codecName).sort());
    // A ClickEvent from a redirect that predates visit_type: read without waiting for the schemas topic.
    const { visit_type: _, ...old } = clickEvent({ link_found: false, destination: '' });
    expect(codecs.clickEvent.decode(writerOf(clickEventV1).encode(old))).toEqual({
      ...old,
      visit_type: null,
    });
  });
});

describe('record types derived from the schemas', () => {
  it('are exactly the fields of the current versions', () => {
    expectTypeOf<LinkEvent>().toEqualTypeOf<{
      slug: string;
      url: string;
      destination: string;
      status: 'active' | 'disabled';
      utm_source: string;
      utm_medium: string;
      utm_campaign: string;
      utm_term: string;
      utm_content: string;
      created_at: number;
      updated_at: number;
      claim_id: string;
      redirect_status: number;
      forward_query: boolean;
      track_conversions: boolean;
      tags: string[];
      expires_at: number | null;
      max_human_clicks: number;
      exhausted_at: number | null;
      honeypot: boolean;
    }>();
    expectTypeOf<DeadLetter['payload']>().toEqualTypeOf<Buffer>();
    expectTypeOf<DeadLetter['source_partition']>().toEqualTypeOf<number>();
    expectTypeOf<ClickEvent['headers']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<ClickEvent['visit_type']>().toEqualTypeOf<VisitType | null>();
    expectTypeOf<EnrichedClick['device_type']>().toEqualTypeOf<
      'desktop' | 'mobile' | 'tablet' | 'bot' | 'other'
    >();
    expectTypeOf<EnrichedClick['is_bot']>().toEqualTypeOf<boolean>();
    expectTypeOf<ConversionEvent>().toEqualTypeOf<{
      conversion_id: string;
      click_id: string;
      touches: string[];
      event: string;
      value: string;
      currency: string;
      source: 'server' | 'browser';
      ts: number;
      received_at: number;
    }>();
  });
});
