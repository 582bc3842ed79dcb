import { describe, expect, it } from 'vitest';
import { clickEventV1, createCodec, createCodecs, SchemaError } from './index.js';
import type { ClickEvent } from './types.js';

const click: ClickEvent = {
  click_id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
  ts: 1_732_400_000_123,
  slug: 'spring',
  method: 'GET',
  ip: '203.0.113.9',
  user_agent: 'Mozilla/5.0',
  referer: 'https://news.example/',
  accept_language: 'en-GB,en;q=0.9',
  query: 'a=1',
  headers: { 'sec-fetch-mode': 'navigate' },
  link_found: true,
  destination: 'https://shop.example/?utm_source=news',
};

// v2 adds one optional field, the way every schema change must be made.
const clickEventV2 = {
  ...clickEventV1,
  fields: [...clickEventV1.fields, { name: 'country_hint', type: ['null', 'string'], default: null }],
};

describe('single-object codec', () => {
  it('round-trips a ClickEvent and starts with C3 01 and the fingerprint', () => {
    const { clickEvent } = createCodecs();
    const bytes = clickEvent.encode(click);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.readBigUInt64LE(2).toString(16).padStart(16, '0')).toBe(clickEvent.fingerprint);
    expect(clickEvent.decode(bytes)).toEqual(click);
  });

  it('lets a v2 reader read v1 bytes, filling the new field with its default', () => {
    const v1 = createCodec<ClickEvent>(clickEventV1);
    const v2 = createCodec<ClickEvent & { country_hint: string | null }>(clickEventV2, [clickEventV1]);
    expect(v2.decode(v1.encode(click))).toEqual({ ...click, country_hint: null });
  });

  it('lets a v1 reader read v2 bytes once it knows the writer schema, dropping the new field', () => {
    const v2 = createCodec<ClickEvent & { country_hint: string | null }>(clickEventV2);
    const v1 = createCodec<ClickEvent>(clickEventV1);
    const bytes = v2.encode({ ...click, country_hint: 'FR' });
    expect(() => v1.decode(bytes)).toThrow(/unknown writer schema fingerprint/);
    v1.registerWriterSchema(clickEventV2);
    expect(v1.decode(bytes)).toEqual(click);
  });

  it('rejects bytes without the single-object header with a coded error', () => {
    const { clickEvent } = createCodecs();
    const err = (() => {
      try {
        clickEvent.decode(Buffer.from('{"slug":"x"}'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as SchemaError).code).toBe('LT_SCHEMA_BAD_HEADER');
  });

  it('rejects a truncated body with LT_SCHEMA_DECODE_FAILED', () => {
    const { clickEvent } = createCodecs();
    const bytes = clickEvent.encode(click);
    expect(() => clickEvent.decode(bytes.subarray(0, 20))).toThrow(
      expect.objectContaining({ code: 'LT_SCHEMA_DECODE_FAILED' }),
    );
  });

  it('names the offending field when a record is invalid', () => {
    const { clickEvent } = createCodecs();
    const bad = { ...click, slug: 42 } as unknown as ClickEvent;
    expect(() => clickEvent.encode(bad)).toThrow(/slug: got number 42/);
  });
});
