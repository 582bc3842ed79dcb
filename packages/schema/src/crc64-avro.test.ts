import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { crc64Avro } from './crc64-avro.js';

// Vectors from the Avro project's schema-tests.txt (signed 64-bit values).
const signed = (fp: bigint) => BigInt.asIntN(64, fp);

describe('crc64Avro', () => {
  it('matches the specification vectors for primitives', () => {
    expect(signed(crc64Avro('"null"'))).toBe(7195948357588979594n);
    expect(signed(crc64Avro('"int"'))).toBe(8247732601305521295n);
    expect(signed(crc64Avro('"string"'))).toBe(-8142146995180207161n);
  });

  it('matches a record vector after avsc reduces it to parsing canonical form', () => {
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'foo',
      fields: [
        { type: 'boolean', aliases: [], name: 'f1', default: true },
        { order: 'descending', name: 'f2', doc: 'Hello', type: 'int' },
      ],
    } as avro.Schema);
    const canonical = JSON.stringify(type.schema());
    expect(canonical).toBe(
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    );
    expect(signed(crc64Avro(canonical))).toBe(-4860222112080293046n);
  });
});
