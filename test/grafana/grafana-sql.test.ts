// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Grafana variable syntax, not templates
import { describe, expect, it } from 'vitest';
import { type ExpandContext, expandGrafanaSql } from '../support/grafana-sql.js';

const ctx = (over: Partial<ExpandContext> = {}): ExpandContext => ({
  fromMs: 1_700_000_000_999,
  toMs: 1_700_086_400_000,
  intervalSeconds: 0.5,
  variables: {
    campaign: { current: ["o'brien", 'spring'], options: ['a', 'b'] },
    source: { current: 'all', options: ['x', 'y'] },
    model: { current: 'last', options: ['last', 'first'] },
  },
  ...over,
});

describe('the plugin expansion the dashboard test relies on', () => {
  it('expands the time macros to whole seconds, the interval to at least 1', () => {
    expect(expandGrafanaSql('WHERE $__timeFilter(ts) AND t > $__fromTime AND t < $__toTime', ctx())).toBe(
      'WHERE ts >= toDateTime(1700000000) AND ts <= toDateTime(1700086400) AND t > toDateTime(1700000000) AND t < toDateTime(1700086400)',
    );
    expect(expandGrafanaSql('INTERVAL $__interval_s second', ctx())).toBe('INTERVAL 1 second');
    expect(expandGrafanaSql('$__interval_s', ctx({ intervalSeconds: 3600 }))).toBe('3600');
  });

  it('quotes values: singlequote escapes, the default joins a multi value, a single value stays bare', () => {
    expect(expandGrafanaSql('IN (${campaign:singlequote})', ctx())).toBe("IN ('o\\'brien','spring')");
    expect(expandGrafanaSql('IN (${source:singlequote})', ctx())).toBe("IN ('x','y')");
    expect(expandGrafanaSql('IN ($source)', ctx())).toBe("IN ('x','y')");
    expect(expandGrafanaSql("m = '${model}' AND $model", ctx())).toBe("m = 'last' AND last");
  });

  it('drops a conditionalAll condition for All and keeps it otherwise', () => {
    const sql =
      '$__conditionalAll(s IN (${source:singlequote}), $source) AND $__conditionalAll(c IN (${campaign:singlequote}), $campaign)';
    expect(expandGrafanaSql(sql, ctx())).toBe("1=1 AND c IN ('o\\'brien','spring')");
  });

  it('fails loudly on what it does not know', () => {
    expect(() => expandGrafanaSql('$__timeInterval(ts)', ctx())).toThrow(/unsupported macro/);
    expect(() => expandGrafanaSql('$nope', ctx())).toThrow(/unknown template variable/);
    expect(() => expandGrafanaSql('${campaign:regex}', ctx())).toThrow(/unsupported variable format/);
    expect(() => expandGrafanaSql('$__timeFilter(a, b)', ctx())).toThrow(/one column/);
  });
});
