-- Attribution: which clicks a conversion is credited to.
--
-- Clicks and conversions arrive on different streams, so either can land
-- first. Two materialized views fill linktrack.attributed_conversions, one per
-- side: when a conversion lands, its touches are joined to the clicks already
-- stored; when a click lands, to the conversions already stored that name it.
-- Whichever arrives second makes the row. Each view looks up only the ids of
-- the block being inserted (a primary-key lookup on the other side).
--
-- Credit is computed at query time by the parameterized views below, so the
-- model, the window and the human test (which the honeypot and burst checks
-- can change after the fact) are never frozen into stored rows.

-- One row per touch of a conversion, keyed by click id for the click-side lookup.
CREATE TABLE IF NOT EXISTS linktrack.conversion_touches
(
    click_id      UUID,
    conversion_id String,
    source        LowCardinality(String),
    trust         UInt8,
    position      UInt16 COMMENT '1 for the oldest touch',
    touch_count   UInt16,
    event         LowCardinality(String),
    value         Decimal(18, 4),
    currency      LowCardinality(String),
    conversion_ts DateTime64(3, 'UTC'),
    received_at   DateTime64(3, 'UTC'),
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3) COMMENT 'when the touch was stored: the repair below looks back from now',
    -- The repair reads the last minutes only: touches arrive in time order, so granules skip by range.
    INDEX inserted_at_range inserted_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree
ORDER BY (click_id, conversion_id, source, received_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.conversion_touches_mv TO linktrack.conversion_touches AS
SELECT
    touch AS click_id,
    conversion_id,
    source,
    trust,
    toUInt16(position) AS position,
    toUInt16(length(touches)) AS touch_count,
    event,
    value,
    currency,
    ts AS conversion_ts,
    received_at
FROM linktrack.conversions
ARRAY JOIN touches AS touch, arrayEnumerate(touches) AS position
WHERE touch != toUUID('00000000-0000-0000-0000-000000000000');

-- Lookups of the clicks a block of touches names, by click id.
ALTER TABLE linktrack.clicks ADD INDEX IF NOT EXISTS click_id_bloom click_id TYPE bloom_filter(0.01) GRANULARITY 1;

-- A touch of a conversion whose click is stored, with that click's attributes.
-- Replayed copies of either side collapse on the key (read FINAL).
CREATE TABLE IF NOT EXISTS linktrack.attributed_conversions
(
    conversion_id      String,
    source             LowCardinality(String),
    received_at        DateTime64(3, 'UTC') COMMENT 'of the conversion copy the touch came with',
    click_id           UUID,
    position           UInt16,
    touch_count        UInt16,
    event              LowCardinality(String),
    value              Decimal(18, 4),
    currency           LowCardinality(String),
    conversion_ts      DateTime64(3, 'UTC'),
    click_ts           DateTime64(3, 'UTC'),
    seconds_to_convert Int64,
    slug               String,
    utm_source         LowCardinality(String),
    utm_medium         LowCardinality(String),
    utm_campaign       LowCardinality(String),
    utm_content        String,
    utm_term           String,
    country            LowCardinality(String),
    region             LowCardinality(String),
    device_type        LowCardinality(String),
    browser            LowCardinality(String),
    os                 LowCardinality(String),
    referrer_medium    LowCardinality(String),
    referrer_domain    LowCardinality(String),
    trigger            LowCardinality(String),
    is_bot             UInt8,
    bot_reason         LowCardinality(String),
    visit_type         LowCardinality(String),
    visitor_hash       String
)
ENGINE = ReplacingMergeTree
ORDER BY (conversion_id, source, received_at, click_id);

-- The two views below and linktrack.unattributed_touches spell out the same
-- row: a materialized view reads its own insert block (every mention of its
-- source table is that block), so the projection cannot live in a shared view.

-- The conversion side: a block of touches, joined to the clicks it names.
CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.attributed_from_touches_mv TO linktrack.attributed_conversions AS
SELECT
    t.conversion_id AS conversion_id, t.source AS source, t.received_at AS received_at, t.click_id AS click_id,
    t.position AS position, t.touch_count AS touch_count, t.event AS event, t.value AS value, t.currency AS currency,
    t.conversion_ts AS conversion_ts, c.ts AS click_ts,
    intDiv(toUnixTimestamp64Milli(t.conversion_ts) - toUnixTimestamp64Milli(c.ts), 1000) AS seconds_to_convert,
    c.slug AS slug, c.utm_source AS utm_source, c.utm_medium AS utm_medium, c.utm_campaign AS utm_campaign,
    c.utm_content AS utm_content, c.utm_term AS utm_term, c.country AS country, c.region AS region,
    c.device_type AS device_type, c.browser AS browser, c.os AS os, c.referrer_medium AS referrer_medium,
    c.referrer_domain AS referrer_domain, c.trigger AS trigger, c.is_bot AS is_bot, c.bot_reason AS bot_reason,
    c.visit_type AS visit_type, c.visitor_hash AS visitor_hash
FROM linktrack.conversion_touches AS t
INNER ANY JOIN
(
    SELECT click_id, ts, slug, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, region,
           device_type, browser, os, referrer_medium, referrer_domain, trigger, is_bot, bot_reason, visit_type, visitor_hash
    FROM linktrack.clicks
    WHERE click_id IN (SELECT click_id FROM linktrack.conversion_touches)
) AS c ON c.click_id = t.click_id;

-- The click side: a block of clicks, joined to the stored touches that name them.
CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.attributed_from_clicks_mv TO linktrack.attributed_conversions AS
SELECT
    t.conversion_id AS conversion_id, t.source AS source, t.received_at AS received_at, c.click_id AS click_id,
    t.position AS position, t.touch_count AS touch_count, t.event AS event, t.value AS value, t.currency AS currency,
    t.conversion_ts AS conversion_ts, c.ts AS click_ts,
    intDiv(toUnixTimestamp64Milli(t.conversion_ts) - toUnixTimestamp64Milli(c.ts), 1000) AS seconds_to_convert,
    c.slug AS slug, c.utm_source AS utm_source, c.utm_medium AS utm_medium, c.utm_campaign AS utm_campaign,
    c.utm_content AS utm_content, c.utm_term AS utm_term, c.country AS country, c.region AS region,
    c.device_type AS device_type, c.browser AS browser, c.os AS os, c.referrer_medium AS referrer_medium,
    c.referrer_domain AS referrer_domain, c.trigger AS trigger, c.is_bot AS is_bot, c.bot_reason AS bot_reason,
    c.visit_type AS visit_type, c.visitor_hash AS visitor_hash
FROM linktrack.clicks AS c
INNER JOIN
(
    SELECT conversion_id, source, received_at, click_id, position, touch_count, event, value, currency, conversion_ts
    FROM linktrack.conversion_touches
    WHERE click_id IN (SELECT click_id FROM linktrack.clicks)
) AS t ON t.click_id = c.click_id;

-- The repair: a click and a conversion naming it that are inserted at the
-- same moment (two sink batches in flight on a server) can each miss the
-- other, and neither view above makes their row. The sink asks this view every
-- few seconds for touches stored in the last `minutes` whose click is stored
-- but whose row is missing, and inserts them (rows in the column order of
-- linktrack.attributed_conversions). A race needs both inserts in flight, so
-- looking back a few minutes covers it.
CREATE OR REPLACE VIEW linktrack.unattributed_touches AS
SELECT
    t.conversion_id AS conversion_id, t.source AS source, t.received_at AS received_at, t.click_id AS click_id,
    t.position AS position, t.touch_count AS touch_count, t.event AS event, t.value AS value, t.currency AS currency,
    t.conversion_ts AS conversion_ts, c.ts AS click_ts,
    intDiv(toUnixTimestamp64Milli(t.conversion_ts) - toUnixTimestamp64Milli(c.ts), 1000) AS seconds_to_convert,
    c.slug AS slug, c.utm_source AS utm_source, c.utm_medium AS utm_medium, c.utm_campaign AS utm_campaign,
    c.utm_content AS utm_content, c.utm_term AS utm_term, c.country AS country, c.region AS region,
    c.device_type AS device_type, c.browser AS browser, c.os AS os, c.referrer_medium AS referrer_medium,
    c.referrer_domain AS referrer_domain, c.trigger AS trigger, c.is_bot AS is_bot, c.bot_reason AS bot_reason,
    c.visit_type AS visit_type, c.visitor_hash AS visitor_hash
FROM
(
    SELECT * FROM linktrack.conversion_touches
    WHERE inserted_at >= now64(3) - toIntervalMinute({minutes:UInt32})
) AS t
INNER ANY JOIN
(
    SELECT click_id, ts, slug, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, region,
           device_type, browser, os, referrer_medium, referrer_domain, trigger, is_bot, bot_reason, visit_type, visitor_hash
    FROM linktrack.clicks
    WHERE click_id IN
    (
        SELECT click_id FROM linktrack.conversion_touches
        WHERE inserted_at >= now64(3) - toIntervalMinute({minutes:UInt32})
    )
) AS c ON c.click_id = t.click_id
WHERE (t.conversion_id, t.source, t.received_at, t.click_id) NOT IN
(
    SELECT conversion_id, source, received_at, click_id FROM linktrack.attributed_conversions
    WHERE conversion_id IN
    (
        SELECT conversion_id FROM linktrack.conversion_touches
        WHERE inserted_at >= now64(3) - toIntervalMinute({minutes:UInt32})
    )
);

-- Per visitor, when it hit a honeypot and when it burst: what decides whether
-- a click near those moments is a person's. human_clicks and the attribution
-- below both read it, so the rule has one source.
CREATE OR REPLACE VIEW linktrack.scanner_visitors AS
SELECT
    visitor_hash,
    groupArrayIf(toUnixTimestamp64Milli(ts), signal = 'honeypot') AS honeypot_ms,
    groupArrayIf(toUnixTimestamp64Milli(ts), signal = 'burst') AS burst_ms
FROM linktrack.scanner_clients
GROUP BY visitor_hash;

-- Unchanged since migration 010 but for the aggregation, now read from scanner_visitors.
CREATE OR REPLACE VIEW linktrack.human_clicks AS
SELECT c.*
FROM linktrack.clicks AS c
LEFT JOIN linktrack.scanner_visitors AS s ON c.visitor_hash = s.visitor_hash
WHERE c.is_bot = 0
  AND c.visit_type = 'redirect'
  AND NOT arrayExists(t -> abs(t - toUnixTimestamp64Milli(c.ts)) <= 300000, s.honeypot_ms)
  AND NOT arrayExists(t -> (t - toUnixTimestamp64Milli(c.ts)) BETWEEN 0 AND 10000, s.burst_ms);

-- Every stored touch of each conversion's winning copy (a server copy wins
-- over a browser one with the same id), with whether its click counts as a
-- person: the rule of linktrack.human_clicks (not a bot, a real redirect, not
-- near a honeypot hit or a burst of the same visitor). touch_reason says why
-- a touch is not human.
CREATE OR REPLACE VIEW linktrack.attributed_touches AS
SELECT
    * EXCEPT (honeypot_ms, burst_ms),
    multiIf(
        a.is_bot = 1, if(a.bot_reason != '', a.bot_reason, 'bot'),
        a.visit_type != 'redirect', a.visit_type,
        arrayExists(t -> abs(t - toUnixTimestamp64Milli(a.click_ts)) <= 300000, s.honeypot_ms), 'honeypot',
        arrayExists(t -> (t - toUnixTimestamp64Milli(a.click_ts)) BETWEEN 0 AND 10000, s.burst_ms), 'burst',
        '') AS touch_reason,
    toUInt8(touch_reason = '') AS human
FROM linktrack.attributed_conversions AS a FINAL
INNER JOIN
(
    SELECT conversion_id, source, received_at FROM linktrack.conversions FINAL
) AS w USING (conversion_id, source, received_at)
LEFT JOIN linktrack.scanner_visitors AS s USING (visitor_hash);

-- Credit per (conversion, human touch within the window), for one model:
--   last      the newest human touch gets 1 (the default everywhere)
--   first     the oldest human touch gets 1
--   linear    each of the n human touches gets 1/n
--   position  40/20/40: the first and last get 0.4, the middle ones share 0.2
--             (n = 1: 1; n = 2: 0.5 each)
-- Bot touches never get credit. Only rows with credit are returned; a
-- conversion's weights sum to 1. Touches are ordered by their clicks' times;
-- clicks in the same millisecond keep the order the conversion lists them in.
-- SELECT ... FROM linktrack.attribution(model = 'linear', window_days = 30)
CREATE OR REPLACE VIEW linktrack.attribution AS
SELECT
    conversion_id, source, event, value, currency, conversion_ts, click_id, click_ts, seconds_to_convert,
    slug, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, region, device_type, browser, os,
    referrer_medium, referrer_domain, trigger, n_touches,
    multiIf(
        {model:String} = 'last', if(rn_desc = 1, 1., 0.),
        {model:String} = 'first', if(rn_asc = 1, 1., 0.),
        {model:String} = 'linear', 1. / n_touches,
        {model:String} = 'position',
            multiIf(n_touches = 1, 1., n_touches = 2, 0.5, rn_asc = 1 OR rn_desc = 1, 0.4, 0.2 / (n_touches - 2)),
        throwIf(1, 'model: must be last, first, linear or position')) AS weight,
    toFloat64(value) * weight AS credited_value
FROM
(
    SELECT
        *,
        count() OVER (PARTITION BY conversion_id) AS n_touches,
        row_number() OVER (PARTITION BY conversion_id ORDER BY click_ts ASC, position ASC) AS rn_asc,
        row_number() OVER (PARTITION BY conversion_id ORDER BY click_ts DESC, position DESC) AS rn_desc
    FROM linktrack.attributed_touches
    WHERE human = 1
      AND conversion_ts >= click_ts
      AND seconds_to_convert <= toInt64({window_days:UInt32}) * 86400
)
WHERE weight > 0;

-- One row per conversion (its winning copy), with what it was credited to:
--   human         at least one human touch within the window
--   bot           clicks were found within the window, all bots or scanners:
--                 a classifier false positive worth a look (bot_reason says why)
--   unattributed  no click of its touches is stored within the window (an
--                 unknown click id, or a click still on its way)
-- click_id: the touch last click credits (or the newest bot touch); zeros when unattributed.
CREATE OR REPLACE VIEW linktrack.conversion_outcomes AS
SELECT
    v.conversion_id AS conversion_id, v.source AS source, v.event AS event, v.value AS value, v.currency AS currency,
    v.ts AS ts, v.received_at AS received_at,
    multiIf(h.humans > 0, 'human', h.found > 0, 'bot', 'unattributed') AS outcome,
    if(h.humans = 0 AND h.found > 0, h.last_bot_reason, '') AS bot_reason,
    multiIf(h.humans > 0, h.last_human_click, h.found > 0, h.last_bot_click,
            toUUID('00000000-0000-0000-0000-000000000000')) AS click_id
FROM linktrack.conversions AS v FINAL
LEFT JOIN
(
    SELECT
        conversion_id, source, received_at,
        countIf(human = 1) AS humans,
        count() AS found,
        argMaxIf(click_id, (click_ts, position), human = 1) AS last_human_click,
        argMaxIf(click_id, (click_ts, position), human = 0) AS last_bot_click,
        argMaxIf(touch_reason, (click_ts, position), human = 0) AS last_bot_reason
    FROM linktrack.attributed_touches
    WHERE conversion_ts >= click_ts AND seconds_to_convert <= toInt64({window_days:UInt32}) * 86400
    GROUP BY conversion_id, source, received_at
) AS h ON v.conversion_id = h.conversion_id AND v.source = h.source AND v.received_at = h.received_at;

-- The steps of human clicks' journeys, for windowFunnel: the click, the
-- landing page seen (a browser confirmation), and each conversion event on the
-- click last click credits.
-- SELECT level, count() FROM (SELECT click_id, windowFunnel(604800)(ts, step = 'click', step = 'signup') AS level
--   FROM linktrack.journey_events(window_days = 30) GROUP BY click_id) GROUP BY level
CREATE OR REPLACE VIEW linktrack.journey_events AS
SELECT click_id, ts, 'click' AS step, slug, utm_source, utm_medium, utm_campaign, utm_content, utm_term, country, device_type
FROM linktrack.human_clicks
UNION ALL
SELECT c.click_id AS click_id, f.ts AS ts, 'landing' AS step, c.slug AS slug, c.utm_source AS utm_source,
       c.utm_medium AS utm_medium, c.utm_campaign AS utm_campaign, c.utm_content AS utm_content, c.utm_term AS utm_term,
       c.country AS country, c.device_type AS device_type
FROM linktrack.human_clicks AS c
INNER JOIN (SELECT click_id, min(ts) AS ts FROM linktrack.click_confirmations GROUP BY click_id) AS f ON f.click_id = c.click_id
UNION ALL
SELECT click_id, conversion_ts AS ts, toString(event) AS step, slug, utm_source, utm_medium, utm_campaign, utm_content,
       utm_term, country, device_type
FROM linktrack.attribution(model = 'last', window_days = {window_days:UInt32});
