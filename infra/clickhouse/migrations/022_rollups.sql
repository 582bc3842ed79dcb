-- Hourly rollup for dashboards over long ranges: one row per hour × slug ×
-- source × medium × campaign × country × device type, summed as rows arrive.
-- It counts what was known at insert: a click is human when the enricher
-- found no bot (is_bot = 0 on a real redirect), a conversion lands on the hour
-- and dimensions of its newest touch. The exact numbers (honeypot and burst
-- corrections applied after the fact, replayed copies collapsed) come from
-- linktrack.human_clicks and the attribution views, read FINAL.
-- A conversion is summed at the hour of the click it lands on, once per
-- stored copy: a retry with a new arrival time, a browser and a server copy
-- of one id, or a row the attribution repair adds again, each count; the
-- exact figures by conversion time are the attribution views'.
-- Unique visitors: uniqMerge(visitors), an estimate within about 2%.
CREATE TABLE IF NOT EXISTS linktrack.hourly_rollup
(
    hour         DateTime('UTC'),
    slug         String,
    utm_source   LowCardinality(String),
    utm_medium   LowCardinality(String),
    utm_campaign LowCardinality(String),
    country      LowCardinality(String),
    device_type  LowCardinality(String),
    human_clicks SimpleAggregateFunction(sum, UInt64),
    bot_clicks   SimpleAggregateFunction(sum, UInt64),
    visitors     AggregateFunction(uniq, String),
    conversions  SimpleAggregateFunction(sum, UInt64),
    revenue      SimpleAggregateFunction(sum, Decimal(38, 4))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, slug, utm_source, utm_medium, utm_campaign, country, device_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.hourly_rollup_clicks_mv TO linktrack.hourly_rollup AS
SELECT
    toStartOfHour(ts) AS hour, slug, utm_source, utm_medium, utm_campaign, country, device_type,
    toUInt64(countIf(is_bot = 0)) AS human_clicks,
    toUInt64(countIf(is_bot = 1)) AS bot_clicks,
    uniqStateIf(visitor_hash, is_bot = 0) AS visitors,
    toUInt64(0) AS conversions,
    toDecimal128(0, 4) AS revenue
FROM linktrack.clicks
WHERE visit_type = 'redirect'
GROUP BY hour, slug, utm_source, utm_medium, utm_campaign, country, device_type;

-- A conversion on its newest touch, when that click is stored and human (see above for copies).
CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.hourly_rollup_conversions_mv TO linktrack.hourly_rollup AS
SELECT
    toStartOfHour(click_ts) AS hour, slug, utm_source, utm_medium, utm_campaign, country, device_type,
    toUInt64(0) AS human_clicks,
    toUInt64(0) AS bot_clicks,
    uniqStateIf(visitor_hash, 0) AS visitors,
    toUInt64(count()) AS conversions,
    toDecimal128(sum(value), 4) AS revenue
FROM linktrack.attributed_conversions
WHERE position = touch_count AND is_bot = 0 AND visit_type = 'redirect'
GROUP BY hour, slug, utm_source, utm_medium, utm_campaign, country, device_type;
