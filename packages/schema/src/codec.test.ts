import { describe, expect, expectTypeOf, it } from 'vitest';
import { createCodec, type RecordOf, SchemaError } from './index.js';

// A record of this package's own: the codec knows nothing of linktrack's streams.
const visitV1 = {
  type: 'record',
  name: 'Visit',
  namespace: 'io.linktrack.test',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'path', type: 'string' },
    { name: 'kind', type: 'string', oneOf: ['page', 'file'] },
    { name: 'headers', type: { type: 'map', values: 'string' } },
    { name: 'bot', type: 'boolean' },
  ],
} as const;
type Visit = RecordOf<typeof visitV1>;

// v2 adds one optional field, the way every schema change must be made.
const visitV2 = {
  ...visitV1,
  fields: [...visitV1.fields, { name: 'country_hint', type: ['null', 'string'], default: null }],
} as const;
type VisitV2 = RecordOf<typeof visitV2>;

const visit: Visit = {
  id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
  ts: 1_732_400_000_123,
  path: '/spring',
  kind: 'page',
  headers: { 'sec-fetch-mode': 'navigate' },
  bot: false,
};

describe('RecordOf', () => {
  it('derives the TypeScript type from the schema, narrowing string fields that list their values', () => {
    expectTypeOf<Visit>().toEqualTypeOf<{
      id: string;
      ts: number;
      path: string;
      kind: 'page' | 'file';
      headers: Record<string, string>;
      bot: boolean;
    }>();
    expectTypeOf<VisitV2['country_hint']>().toEqualTypeOf<string | null>();
  });
});

describe('single-object codec', () => {
  it('round-trips a record and starts with C3 01 and the fingerprint', () => {
    const codec = createCodec<Visit>(visitV1);
    const bytes = codec.encode(visit);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.readBigUInt64LE(2).toString(16).padStart(16, '0')).toBe(codec.fingerprint);
    expect(codec.decode(bytes)).toEqual(visit);
  });

  it('leaves the TypeScript-only value list out of the canonical form and the fingerprint', () => {
    const { oneOf: _values, ...plainKind } = visitV1.fields[3];
    const plain = { ...visitV1, fields: visitV1.fields.map((f) => (f.name === 'kind' ? plainKind : f)) };
    expect(createCodec(visitV1).fingerprint).toBe(createCodec(plain).fingerprint);
  });

  it('lets a v2 reader read v1 bytes, filling the new field with its default', () => {
    const v1 = createCodec<Visit>(visitV1);
    const v2 = createCodec<VisitV2>(visitV2, [visitV1]);
    expect(v2.decode(v1.encode(visit))).toEqual({ ...visit, country_hint: null });
  });

  it('lets a v1 reader read v2 bytes once it knows the writer schema, dropping the new field', () => {
    const v2 = createCodec<VisitV2>(visitV2);
    const v1 = createCodec<Visit>(visitV1);
    const bytes = v2.encode({ ...visit, country_hint: 'FR' });
    expect(v1.knowsWriter(bytes)).toBe(false);
    expect(() => v1.decode(bytes)).toThrow(/unknown writer schema fingerprint/);
    v1.registerWriterSchema(visitV2);
    expect(v1.decode(bytes)).toEqual(visit);
  });

  it('rejects bytes without the single-object header with a coded error', () => {
    const codec = createCodec<Visit>(visitV1);
    const err = (() => {
      try {
        codec.decode(Buffer.from('{"path":"x"}'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as SchemaError).code).toBe('LT_SCHEMA_BAD_HEADER');
  });

  it('rejects a truncated body with LT_SCHEMA_DECODE_FAILED', () => {
    const codec = createCodec<Visit>(visitV1);
    const bytes = codec.encode(visit);
    expect(() => codec.decode(bytes.subarray(0, 20))).toThrow(
      expect.objectContaining({ code: 'LT_SCHEMA_DECODE_FAILED' }),
    );
  });

  it('writes the same bytes in place, and says how many are missing when the buffer is too small', () => {
    const codec = createCodec<Visit>(visitV1);
    const whole = codec.encode(visit);
    const buf = Buffer.alloc(whole.length + 7, 0xee);
    expect(codec.encodeInto(visit, buf, 7)).toBe(buf.length);
    expect(buf.subarray(7)).toEqual(whole);
    const small = Buffer.alloc(whole.length - 5);
    expect(codec.encodeInto(visit, small, 0)).toBeLessThan(0);
    expect(codec.encodeInto(visit, Buffer.alloc(4), 0)).toBeLessThan(0);
  });

  it('names the offending field when a record is invalid', () => {
    const codec = createCodec<Visit>(visitV1);
    const bad = { ...visit, path: 42 } as unknown as Visit;
    expect(() => codec.encode(bad)).toThrow(
      expect.objectContaining({
        code: 'LT_SCHEMA_INVALID_RECORD',
        message: expect.stringMatching(/path: got number 42/),
      }),
    );
  });
});
