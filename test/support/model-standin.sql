-- Test-only stand-in for migrations 021_attribution and 022_rollups, written
-- from their specification so dashboard and docs SQL can run before they land.
-- Applied only while infra/clickhouse/migrations lacks them (analytics-store.ts);
-- the real migrations replace it, and this file goes with their arrival.

CREATE TABLE IF NOT EXISTS linktrack.attributed_conversions
(
    conversion_id   String,
    source          LowCardinality(String),
    event           LowCardinality(String),
    value           Decimal(18, 4),
    currency        LowCardinality(String),
    trust           UInt8,
    conversion_ts   DateTime64(3, 'UTC'),
    click_id        UUID,
    click_ts        DateTime64(3, 'UTC'),
    slug            String,
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    country         LowCardinality(String),
    device_type     LowCardinality(String),
    is_bot          UInt8,
    bot_reason      LowCardinality(String)
)
ENGINE = ReplacingMergeTree(trust)
ORDER BY (conversion_id, source, click_id);

CREATE VIEW IF NOT EXISTS linktrack.attribution AS
SELECT
    conversion_id, source, event, value, currency, conversion_ts, click_id, click_ts,
    toInt64(dateDiff('second', click_ts, conversion_ts)) AS seconds_to_convert,
    slug, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, region,
    device_type, browser, os, referrer_medium, referrer_domain, trigger, n_touches,
    multiIf(
        {model:String} = 'last', toFloat64(pos = n_touches),
        {model:String} = 'first', toFloat64(pos = 1),
        {model:String} = 'linear', 1 / n_touches,
        {model:String} = 'position', multiIf(n_touches = 1, 1., n_touches = 2, .5, pos = 1 OR pos = n_touches, .4, .2 / (n_touches - 2)),
        0.
    ) AS weight,
    toFloat64(value) * weight AS credited_value
FROM
(
    SELECT
        cv.conversion_id AS conversion_id, cv.source AS source, cv.event AS event, cv.value AS value,
        cv.currency AS currency, cv.ts AS conversion_ts, h.click_id AS click_id, h.ts AS click_ts,
        h.slug AS slug, h.utm_source AS utm_source, h.utm_medium AS utm_medium, h.utm_campaign AS utm_campaign,
        h.utm_content AS utm_content, h.utm_term AS utm_term, h.country AS country, h.region AS region,
        h.device_type AS device_type, h.browser AS browser, h.os AS os, h.referrer_medium AS referrer_medium,
        h.referrer_domain AS referrer_domain, h.trigger AS trigger,
        toUInt64(count() OVER (PARTITION BY cv.conversion_id)) AS n_touches,
        row_number() OVER (PARTITION BY cv.conversion_id ORDER BY h.ts, h.click_id) AS pos
    FROM
    (
        SELECT conversion_id, source, event, value, currency, ts, arrayJoin(touches) AS touch
        FROM linktrack.conversions FINAL
    ) AS cv
    INNER JOIN linktrack.human_clicks AS h ON h.click_id = cv.touch
    WHERE h.ts <= cv.ts AND h.ts >= cv.ts - toIntervalDay({window_days:UInt32})
)
WHERE weight > 0;

CREATE VIEW IF NOT EXISTS linktrack.conversion_outcomes AS
SELECT
    cv.conversion_id AS conversion_id, cv.source AS source, cv.event AS event, cv.value AS value,
    cv.currency AS currency, cv.ts AS ts, cv.received_at AS received_at,
    multiIf(t.humans > 0, 'human', t.bots > 0, 'bot', 'unattributed') AS outcome,
    if(t.humans = 0 AND t.bots > 0, t.last_bot_reason, '') AS bot_reason,
    multiIf(t.humans > 0, t.last_human, t.bots > 0, t.last_bot, toUUID('00000000-0000-0000-0000-000000000000')) AS click_id
FROM linktrack.conversions AS cv FINAL
LEFT JOIN
(
    SELECT
        x.conversion_id AS conversion_id,
        countIf(c.is_bot = 0 AND c.visit_type = 'redirect') AS humans,
        countIf(c.is_bot = 1) AS bots,
        argMaxIf(c.click_id, c.ts, c.is_bot = 0 AND c.visit_type = 'redirect') AS last_human,
        argMaxIf(c.click_id, c.ts, c.is_bot = 1) AS last_bot,
        argMaxIf(c.bot_reason, c.ts, c.is_bot = 1) AS last_bot_reason
    FROM
    (
        SELECT conversion_id, ts, arrayJoin(touches) AS touch FROM linktrack.conversions FINAL
    ) AS x
    INNER JOIN linktrack.clicks AS c FINAL ON c.click_id = x.touch
    WHERE c.ts <= x.ts AND c.ts >= x.ts - toIntervalDay({window_days:UInt32})
    GROUP BY x.conversion_id
) AS t ON t.conversion_id = cv.conversion_id;

CREATE VIEW IF NOT EXISTS linktrack.journey_events AS
SELECT h.click_id AS click_id, e.ts AS ts, e.step AS step, h.slug AS slug, h.utm_source AS utm_source,
       h.utm_medium AS utm_medium, h.utm_campaign AS utm_campaign, h.utm_content AS utm_content,
       h.utm_term AS utm_term, h.country AS country, h.device_type AS device_type
FROM
(
    SELECT click_id, ts, 'click' AS step FROM linktrack.human_clicks
    UNION ALL
    SELECT click_id, ts, 'landing' AS step FROM linktrack.click_confirmations FINAL
    UNION ALL
    SELECT click_id, ts, toString(event) AS step FROM linktrack.conversions FINAL
) AS e
INNER JOIN linktrack.human_clicks AS h ON h.click_id = e.click_id
WHERE e.ts >= h.ts AND e.ts <= h.ts + toIntervalDay({window_days:UInt32});

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
    toUInt64(countIf(is_bot = 0 AND visit_type = 'redirect')) AS human_clicks,
    toUInt64(countIf(is_bot = 1)) AS bot_clicks,
    uniqStateIf(visitor_hash, is_bot = 0 AND visit_type = 'redirect') AS visitors,
    toUInt64(0) AS conversions,
    toDecimal128(0, 4) AS revenue
FROM linktrack.clicks
GROUP BY hour, slug, utm_source, utm_medium, utm_campaign, country, device_type;

CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.hourly_rollup_conversions_mv TO linktrack.hourly_rollup AS
SELECT
    toStartOfHour(cv.ts) AS hour, c.slug AS slug, c.utm_source AS utm_source, c.utm_medium AS utm_medium,
    c.utm_campaign AS utm_campaign, c.country AS country, c.device_type AS device_type,
    toUInt64(0) AS human_clicks, toUInt64(0) AS bot_clicks, uniqStateIf('', 0) AS visitors,
    toUInt64(count()) AS conversions, toDecimal128(sum(cv.value), 4) AS revenue
FROM linktrack.conversions AS cv
INNER JOIN linktrack.clicks AS c ON c.click_id = cv.click_id
GROUP BY hour, slug, utm_source, utm_medium, utm_campaign, country, device_type;
