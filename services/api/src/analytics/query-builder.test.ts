import { describe, expect, it } from 'vitest';
import {
  breakdownQuery,
  DIMENSION_NAMES,
  dateTimeParam,
  exportQuery,
  funnelQuery,
  type Scope,
  summaryQuery,
  timeseriesQuery,
} from './query-builder.js';

const scope: Scope = {
  range: { fromMs: Date.UTC(2026, 10, 1), toMs: Date.UTC(2026, 10, 8) },
  filters: { slug: "x' OR 1=1 --", campaign: 'spring' },
  model: 'linear',
  windowDays: 30,
  includeBots: false,
};

describe('query builder', () => {
  it('sends every value as a parameter, never in the SQL text', () => {
    const built = [
      summaryQuery(scope),
      ...DIMENSION_NAMES.map((d) => breakdownQuery(scope, d, 50)),
      timeseriesQuery(scope, 'hour'),
      funnelQuery(scope, { steps: ['click', "sign'up"], windowSeconds: 60, groupBy: 'country' }),
      exportQuery(scope),
    ];
    for (const { sql, params } of built) {
      expect(sql).not.toContain("x' OR");
      expect(sql).not.toContain('spring');
      expect(sql).not.toContain("sign'up");
      expect(sql).toContain('{f_slug:String}');
      expect(sql).toContain('{f_campaign:String}');
      expect(params.f_slug).toBe("x' OR 1=1 --");
      expect(params.from).toBe('2026-11-01 00:00:00.000');
      expect(params.to).toBe('2026-11-08 00:00:00.000');
    }
  });

  it('reads tables FINAL and credits through the parameterized views', () => {
    const { sql, params } = summaryQuery({ ...scope, filters: {} });
    expect(sql).toContain('FROM linktrack.clicks FINAL');
    expect(sql).toContain(
      'linktrack.attribution(model = {model:String}, window_days = {window_days:UInt32})',
    );
    expect(sql).toContain('linktrack.conversion_outcomes(window_days = {window_days:UInt32})');
    expect(sql).not.toContain('f_slug');
    expect(params).toEqual({
      from: '2026-11-01 00:00:00.000',
      to: '2026-11-08 00:00:00.000',
      model: 'linear',
      window_days: 30,
    });
  });

  it('maps dimensions to fixed expressions, the click time on both sides', () => {
    const { sql, params } = breakdownQuery(scope, 'hour_of_day', 10);
    expect(sql).toContain('toString(toHour(ts)) AS value');
    expect(sql).toContain('toString(toHour(click_ts)) AS value');
    expect(sql).toContain('LIMIT {limit:UInt32}');
    expect(params.limit).toBe(10);
    // bot_reason has no conversion side, and keeps bot rows only.
    const bots = breakdownQuery(scope, 'bot_reason', 10).sql;
    expect(bots).not.toContain('linktrack.attribution');
    expect(bots).toContain('WHERE clicks > human_clicks');
  });

  it('fills the time series from the rounded start to the end', () => {
    const { sql } = timeseriesQuery(scope, 'day');
    expect(sql).toMatch(
      /WITH FILL FROM toStartOfDay\(toDateTime\(\{from:DateTime64\(3, 'UTC'\)\}, 'UTC'\)\)/,
    );
    expect(sql).toContain('STEP toIntervalDay(1)');
  });

  it('builds one windowFunnel condition per step, steps and window as parameters', () => {
    const { sql, params } = funnelQuery(scope, {
      steps: ['click', 'landing', 'signup'],
      windowSeconds: 3_600,
      groupBy: null,
    });
    expect(sql).toContain('step = {s0:String}, step = {s1:String}, step = {s2:String}');
    // The first step counted plainly, the later ones from windowFunnel levels.
    expect(sql).toContain('[f.n, d.n, l.l3]');
    expect(sql).toContain('countIf(level >= 3) AS l3');
    // Only clicks with a later event reach windowFunnel: credited ones, and confirmed ones when landing is a step.
    expect(sql).toContain('FROM credited');
    expect(sql).toContain("'landing' AS step");
    expect(sql).toContain("'' AS grp");
    expect(sql).not.toContain('linktrack.clicks FINAL');
    expect(params).toMatchObject({ s0: 'click', s1: 'landing', s2: 'signup', window_ms: 3_600_000 });
    const withBots = funnelQuery(
      { ...scope, includeBots: true },
      { steps: ['click', 'x'], windowSeconds: 1, groupBy: 'slug' },
    );
    expect(withBots.sql).toContain('linktrack.clicks FINAL');
    expect(withBots.sql).not.toContain("'landing' AS step");
    expect(withBots.sql).toContain('event IN ({s1:String})');
    expect(withBots.sql).toContain('slug AS grp');
  });

  it('exports by last click whatever the model asked', () => {
    const { sql, params } = exportQuery(scope);
    expect(sql).toContain("linktrack.attribution(model = 'last'");
    expect(params.model).toBeUndefined();
  });

  it('writes times as the DateTime64 parameter text', () => {
    expect(dateTimeParam(Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006');
  });
});
