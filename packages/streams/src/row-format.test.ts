import { describe, expect, it } from 'vitest';
import { tsvArray, tsvMillis, tsvRowWriter, tsvString } from './row-format.js';

describe('TabSeparated row format', () => {
  it('escapes only what TabSeparated reads specially', () => {
    expect(tsvString('plain text, "quotes" and \'apostrophes\'')).toBe(
      'plain text, "quotes" and \'apostrophes\'',
    );
    expect(tsvString('a\tb\nc\\d\re\0')).toBe('a\\tb\\nc\\\\d\\re\\0');
    expect(tsvArray([])).toBe('[]');
    expect(tsvArray(["it's", 'a\tb'])).toBe("['it\\'s','a\\tb']");
  });

  it('writes epoch milliseconds as seconds.millis, and times before 1970 as UTC date and time', () => {
    expect(tsvMillis(1_732_449_600_007)).toBe('1732449600.007');
    expect(tsvMillis(0)).toBe('0.000');
    expect(tsvMillis(-1)).toBe('1969-12-31 23:59:59.999');
  });

  it('refuses at start a column with no TabSeparated form unless the contract derives it', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'm', type: { type: 'map', values: 'long' } }],
    } as const;
    expect(() => tsvRowWriter(schema, {})).toThrow(
      expect.objectContaining({ code: 'LT_STREAM_NO_ROW_FORMAT' }),
    );
    const writer = tsvRowWriter<{ m: Record<string, number> }>(schema, {
      derived: { m: (r) => Object.keys(r.m) },
    });
    expect(writer.line({ m: { a: 1, b: 2 } })).toBe("['a','b']");
  });

  it("writes a map of strings as ClickHouse's Map text, escaped", () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'h', type: { type: 'map', values: 'string' } }],
    } as const;
    const writer = tsvRowWriter<{ h: Record<string, string> }>(schema, {});
    expect(writer.line({ h: {} })).toBe('{}');
    expect(writer.line({ h: { a: "it's", 'b\tc': 'x\ny' } })).toBe("{'a':'it\\'s','b\\tc':'x\\ny'}");
  });
});
