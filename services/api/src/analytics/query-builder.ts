import type { QueryParams, StreamFormat } from '@linktrack/store';

/**
 * The analytics api's SQL, in one place. Request text never enters a
 * statement: values travel as query parameters ({name:Type}), and what
 * shapes the SQL (a dimension, an interval, the number of funnel steps) is
 * picked from fixed tables by key. Every statement is read with final = 1
 * (the reader's sessions), and says FINAL itself where it reads a table,
 * so a replayed copy of a click or a conversion is counted once.
 */

export const MODELS = ['last', 'first', 'linear', 'position'] as const;
export type Model = (typeof MODELS)[number];

/** The click dimensions a request may filter on, and the column each one is. */
export const FILTER_COLUMNS = {
  slug: 'slug',
  campaign: 'utm_campaign',
  source: 'utm_source',
  medium: 'utm_medium',
} as const;
export type Filters = Partial<Record<keyof typeof FILTER_COLUMNS, string>>;

export interface Range {
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Exclusive, epoch ms. */
  toMs: number;
}

export interface Scope {
  range: Range;
  filters: Filters;
  model: Model;
  windowDays: number;
  /** Whether "clicks" in breakdowns, time series and funnels counts bots too. */
  includeBots: boolean;
}

export interface BuiltQuery {
  sql: string;
  params: QueryParams;
}

/** A breakdown dimension: its expression over a click's columns, given the name of the click-time column. */
interface Dimension {
  expr: (ts: string) => string;
  /** Conversions have no such attribute (bots are never credited): their side is left out. */
  clicksOnly?: boolean;
  /** Only rows with bot clicks are kept. */
  botsOnly?: boolean;
}

const column = (name: string): Dimension => ({ expr: () => name });

export const DIMENSIONS = {
  utm_source: column('utm_source'),
  utm_medium: column('utm_medium'),
  utm_campaign: column('utm_campaign'),
  utm_content: column('utm_content'),
  utm_term: column('utm_term'),
  slug: column('slug'),
  country: column('country'),
  region: column('region'),
  device_type: column('device_type'),
  browser: column('browser'),
  os: column('os'),
  referrer_medium: column('referrer_medium'),
  referrer_domain: column('referrer_domain'),
  trigger: column('trigger'),
  bot_reason: { expr: () => 'bot_reason', clicksOnly: true, botsOnly: true },
  // Time dimensions use the click's time on both sides, conversions included, so a row is one set of clicks.
  hour_of_day: { expr: (ts) => `toHour(${ts})` },
  day_of_week: { expr: (ts) => `toDayOfWeek(${ts})` },
  hour: { expr: (ts) => `formatDateTime(${ts}, '%Y-%m-%dT%H:00:00Z', 'UTC')` },
  day: { expr: (ts) => `formatDateTime(${ts}, '%Y-%m-%d', 'UTC')` },
} as const satisfies Record<string, Dimension>;
export type DimensionName = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as DimensionName[];

export const INTERVALS = {
  hour: { bucket: 'toStartOfHour', step: 'toIntervalHour(1)' },
  day: { bucket: 'toStartOfDay', step: 'toIntervalDay(1)' },
} as const;
export type Interval = keyof typeof INTERVALS;

export const GROUP_COLUMNS = {
  utm_campaign: 'utm_campaign',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  slug: 'slug',
  country: 'country',
  device_type: 'device_type',
} as const;
export type GroupBy = keyof typeof GROUP_COLUMNS;

export const EXPORT_FORMATS = {
  csv: { engine: 'CSVWithNames', contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  ndjson: { engine: 'JSONEachRow', contentType: 'application/x-ndjson', extension: 'ndjson' },
  parquet: { engine: 'Parquet', contentType: 'application/vnd.apache.parquet', extension: 'parquet' },
} as const satisfies Record<string, { engine: StreamFormat; contentType: string; extension: string }>;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

const FROM = "{from:DateTime64(3, 'UTC')}";
const TO = "{to:DateTime64(3, 'UTC')}";
const ATTRIBUTION = 'linktrack.attribution(model = {model:String}, window_days = {window_days:UInt32})';
const OUTCOMES = 'linktrack.conversion_outcomes(window_days = {window_days:UInt32})';
const UNION_ALL = '\n      UNION ALL\n      ';

/** Last-click credit: the conversion events a funnel follows, on the clicks they are credited to. */
const JOURNEY_CREDITS = "linktrack.attribution(model = 'last', window_days = {window_days:UInt32})";

/** Epoch ms as the text a DateTime64(3, 'UTC') parameter reads. */
export function dateTimeParam(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function baseParams(scope: Scope): QueryParams {
  const params: QueryParams = {
    from: dateTimeParam(scope.range.fromMs),
    to: dateTimeParam(scope.range.toMs),
    model: scope.model,
    window_days: scope.windowDays,
  };
  for (const [name, value] of Object.entries(scope.filters))
    if (value !== undefined) params[`f_${name}`] = value;
  return params;
}

/** ` AND column = {f_name:String}` for each filter given: the column from the fixed table, the value a parameter. */
function filterSql(filters: Filters, prefix = ''): string {
  let sql = '';
  for (const [name, col] of Object.entries(FILTER_COLUMNS)) {
    if (filters[name as keyof Filters] !== undefined) sql += ` AND ${prefix}${col} = {f_${name}:String}`;
  }
  return sql;
}

const inRange = (ts: string) => `${ts} >= ${FROM} AND ${ts} < ${TO}`;

/** Redirected clicks, people and bots, in range. */
const clicksWhere = (filters: Filters) => `visit_type = 'redirect' AND ${inRange('ts')}${filterSql(filters)}`;
const humansWhere = (filters: Filters) => `${inRange('ts')}${filterSql(filters)}`;
const creditsWhere = (filters: Filters) => `${inRange('conversion_ts')}${filterSql(filters)}`;

/**
 * One row: every click, the people among them, their unique visitors, the
 * credited conversions and revenue (by conversion time), and the conversions
 * no person's click earned (by conversion time, whatever the filters).
 */
export function summaryQuery(scope: Scope): BuiltQuery {
  const sql = `SELECT c.clicks AS clicks, h.human_clicks AS human_clicks, h.unique_visitors AS unique_visitors,
  a.conversions AS conversions, a.revenue AS revenue,
  o.unattributed_conversions AS unattributed_conversions, o.bot_conversions AS bot_conversions
FROM (SELECT count() AS clicks FROM linktrack.clicks FINAL WHERE ${clicksWhere(scope.filters)}) AS c
CROSS JOIN (SELECT count() AS human_clicks, uniqExact(visitor_hash) AS unique_visitors
  FROM linktrack.human_clicks WHERE ${humansWhere(scope.filters)}) AS h
CROSS JOIN (SELECT round(sum(weight), 6) AS conversions, round(sum(credited_value), 4) AS revenue
  FROM ${ATTRIBUTION} WHERE ${creditsWhere(scope.filters)}) AS a
CROSS JOIN (SELECT countIf(outcome = 'unattributed') AS unattributed_conversions, countIf(outcome = 'bot') AS bot_conversions
  FROM ${OUTCOMES} WHERE ${inRange('ts')}) AS o`;
  return { sql, params: baseParams(scope) };
}

/**
 * One row per value of the dimension: clicks (all), human clicks and their
 * visitors by click time, credited conversions and revenue by conversion
 * time, keyed by the credited click's value of the dimension. Ordered by
 * human clicks, then all clicks, then value, so the order is stable.
 */
export function breakdownQuery(scope: Scope, dimension: DimensionName, limit: number): BuiltQuery {
  const dim: Dimension = DIMENSIONS[dimension];
  const value = (ts: string) => `toString(${dim.expr(ts)})`;
  const clicks = `SELECT ${value('ts')} AS value, count() AS clicks
  FROM linktrack.clicks FINAL WHERE ${clicksWhere(scope.filters)} GROUP BY value`;
  const humans = `SELECT ${value('ts')} AS value, count() AS human_clicks, uniqExact(visitor_hash) AS unique_visitors
  FROM linktrack.human_clicks WHERE ${humansWhere(scope.filters)} GROUP BY value`;
  const credits = `SELECT ${value('click_ts')} AS value, round(sum(weight), 6) AS conversions, round(sum(credited_value), 4) AS revenue
  FROM ${ATTRIBUTION} WHERE ${creditsWhere(scope.filters)} GROUP BY value`;
  const sql = dim.clicksOnly
    ? `SELECT value, clicks, human_clicks, clicks - human_clicks AS bot_clicks, unique_visitors,
  toFloat64(0) AS conversions, toFloat64(0) AS revenue
FROM (${clicks}) AS c
FULL OUTER JOIN (${humans}) AS h USING (value)${dim.botsOnly ? '\nWHERE clicks > human_clicks' : ''}
ORDER BY human_clicks DESC, clicks DESC, value ASC
LIMIT {limit:UInt32}`
    : `SELECT value, clicks, human_clicks, clicks - human_clicks AS bot_clicks, unique_visitors, conversions, revenue
FROM (${clicks}) AS c
FULL OUTER JOIN (${humans}) AS h USING (value)
FULL OUTER JOIN (${credits}) AS a USING (value)
ORDER BY human_clicks DESC, clicks DESC, value ASC
LIMIT {limit:UInt32}`;
  return { sql, params: { ...baseParams(scope), limit } };
}

/**
 * Buckets of an hour or a day from `from` (rounded down) to `to`, every one
 * present (WITH FILL): clicks by click time, credited conversions by
 * conversion time, so the buckets add up to the summary.
 */
export function timeseriesQuery(scope: Scope, interval: Interval): BuiltQuery {
  const { bucket, step } = INTERVALS[interval];
  const at = (ts: string) => `${bucket}(toDateTime(${ts}, 'UTC'))`;
  // The bucket is not named ts: an alias of a column's name would replace it in WHERE, and the
  // range would then apply to buckets instead of the clicks' own times.
  const sql = `SELECT bucket AS ts, sum(c) AS clicks, sum(h) AS human_clicks, round(sum(w), 6) AS conversions, round(sum(v), 4) AS revenue
FROM (
  SELECT ${at('ts')} AS bucket, count() AS c, toUInt64(0) AS h, toFloat64(0) AS w, toFloat64(0) AS v
  FROM linktrack.clicks FINAL WHERE ${clicksWhere(scope.filters)} GROUP BY bucket
  UNION ALL
  SELECT ${at('ts')} AS bucket, toUInt64(0) AS c, count() AS h, toFloat64(0) AS w, toFloat64(0) AS v
  FROM linktrack.human_clicks WHERE ${humansWhere(scope.filters)} GROUP BY bucket
  UNION ALL
  SELECT ${at('conversion_ts')} AS bucket, toUInt64(0) AS c, toUInt64(0) AS h, sum(weight) AS w, sum(credited_value) AS v
  FROM ${ATTRIBUTION} WHERE ${creditsWhere(scope.filters)} GROUP BY bucket
)
GROUP BY bucket
ORDER BY bucket WITH FILL FROM ${at(FROM)} TO toDateTime(${TO}, 'UTC') STEP ${step}`;
  return { sql, params: baseParams(scope) };
}

export interface FunnelSpec {
  /** 'click', then optionally 'landing', then conversion event names. */
  steps: string[];
  windowSeconds: number;
  groupBy: GroupBy | null;
}

/**
 * The journeys of clicks made in range: each click's furthest step reached in
 * order within the window after it, counted per level and group.
 *
 * The first step is every click made in range (people; bots too with
 * include_bots), counted plainly, and a landing (always the second step when
 * asked) is a join of people's clicks with their first confirmation. Only a
 * click credited with a conversion event of the funnel can go further, so
 * windowFunnel runs over those alone (their attribution rows carry the click's
 * time and dimensions), with their landings. Bots never get credit or a
 * landing: they stay at the first step. (windowFunnel over every click would
 * hold a state per click: ten million of them do not fit an analyst's memory
 * limit.)
 */
export function funnelQuery(scope: Scope, spec: FunnelSpec): BuiltQuery {
  const group = spec.groupBy ? GROUP_COLUMNS[spec.groupBy] : "''";
  const landing = spec.steps[1] === 'landing';
  const conditions = spec.steps.map((_, i) => `step = {s${i}:String}`).join(', ');
  // Levels windowFunnel decides: past the landing when there is one, past the click otherwise.
  const fromLevel = landing ? 3 : 2;
  const levels = spec.steps.map((_, i) => i + 1).filter((level) => level >= fromLevel);
  const counts = ['f.n', ...(landing ? ['d.n'] : []), ...levels.map((level) => `l.l${level}`)].join(', ');
  // The conversion events among the steps, as the steps' own parameters.
  const eventSteps = spec.steps.flatMap((s, i) => (i > 0 && s !== 'landing' ? [`{s${i}:String}`] : []));
  const firstStep = scope.includeBots
    ? `SELECT ${group} AS grp, count() AS n FROM linktrack.clicks FINAL WHERE ${clicksWhere(scope.filters)} GROUP BY grp`
    : `SELECT ${group} AS grp, count() AS n FROM linktrack.human_clicks WHERE ${humansWhere(scope.filters)} GROUP BY grp`;
  const credited = `SELECT click_id, click_ts, conversion_ts, toString(event) AS event, ${group} AS grp
      FROM ${JOURNEY_CREDITS}
      WHERE ${inRange('click_ts')} AND event IN (${eventSteps.join(', ')})${filterSql(scope.filters)}`;
  const firstLanding = (
    ids: string,
  ) => `SELECT click_id, min(ts) AS landed_at FROM linktrack.click_confirmations
        WHERE ts >= ${FROM}${ids} GROUP BY click_id`;
  // Every person's click in range whose landing page a browser confirmed within the window.
  const landed = `SELECT ${group} AS grp, count() AS n
  FROM linktrack.human_clicks AS c
  INNER JOIN (${firstLanding('')}) AS k ON k.click_id = c.click_id
  WHERE ${humansWhere(scope.filters)}
    AND k.landed_at >= c.ts AND k.landed_at <= c.ts + toIntervalMillisecond({window_ms:UInt64})
  GROUP BY grp`;
  const events = [
    `SELECT click_id, click_ts AS ts, 'click' AS step, grp FROM credited`,
    `SELECT click_id, conversion_ts AS ts, event AS step, grp FROM credited`,
    ...(landing
      ? [
          `SELECT click_id, landed_at AS ts, 'landing' AS step, '' AS grp FROM (
        ${firstLanding(' AND click_id IN (SELECT click_id FROM credited)')})`,
        ]
      : []),
  ];
  const sql = `WITH credited AS (${credited})
SELECT f.grp AS group, [${counts}] AS counts
FROM (${firstStep}) AS f${
    landing
      ? `
LEFT JOIN (${landed}) AS d ON d.grp = f.grp`
      : ''
  }
LEFT JOIN (
  SELECT grp, ${levels.map((level) => `countIf(level >= ${level}) AS l${level}`).join(', ')}
  FROM (
    SELECT click_id, anyIf(grp, step = 'click') AS grp,
      windowFunnel({window_ms:UInt64})(toUInt64(toUnixTimestamp64Milli(ts)), ${conditions}) AS level
    FROM (
      ${events.join(UNION_ALL)}
    )
    GROUP BY click_id
  )
  GROUP BY grp
) AS l ON l.grp = f.grp
ORDER BY counts[1] DESC, group ASC
LIMIT 1000`;
  const params: QueryParams = { ...baseParams(scope), window_ms: spec.windowSeconds * 1000 };
  spec.steps.forEach((step, i) => {
    params[`s${i}`] = step;
  });
  return { sql, params };
}

/**
 * Human clicks in range with what last-click attribution credits each one
 * (conversion count and revenue, whenever the conversion came), streamed in
 * storage order.
 */
export function exportQuery(scope: Scope): BuiltQuery {
  const sql = `SELECT toString(c.click_id) AS click_id, c.ts AS ts, c.slug AS slug,
  c.utm_source AS utm_source, c.utm_medium AS utm_medium, c.utm_campaign AS utm_campaign,
  c.utm_content AS utm_content, c.utm_term AS utm_term,
  c.country AS country, c.region AS region, c.device_type AS device_type, c.browser AS browser, c.os AS os,
  c.referrer_medium AS referrer_medium, c.referrer_domain AS referrer_domain, c.trigger AS trigger,
  a.conversions AS conversions, round(a.revenue, 4) AS revenue
FROM linktrack.human_clicks AS c
LEFT JOIN (
  SELECT click_id, count() AS conversions, sum(credited_value) AS revenue
  FROM linktrack.attribution(model = 'last', window_days = {window_days:UInt32})
  WHERE ${inRange('click_ts')}${filterSql(scope.filters)}
  GROUP BY click_id
) AS a ON a.click_id = c.click_id
WHERE ${inRange('c.ts')}${filterSql(scope.filters, 'c.')}`;
  const { model: _lastClickOnly, ...params } = baseParams(scope);
  return { sql, params };
}
