-- Trustworthy click data. Three parts:
-- 1. The raw signals the bot classifier reads that no other column keeps
--    (the client network's ASN and organisation, the request headers), so
--    `linktrack reclassify` can judge stored clicks again. The full client
--    address is never among them.
-- 2. Honeypot links (the flag is links.honeypot, migration 008): the clients
--    that hit a honeypot or burst are kept in a small table, filled from clicks
--    as they arrive, that the human view joins at query time. A query-time join
--    corrects clicks that were enriched before the honeypot hit, too.
-- 3. Views: human_clicks (people only: not a bot, not near a honeypot hit or
--    a burst of the same visitor), and confirmed_clicks (every click, with
--    confirmed = 1 when a browser confirmed it through the first-party script).
ALTER TABLE linktrack.clicks
    ADD COLUMN IF NOT EXISTS asn UInt64 DEFAULT 0
        COMMENT 'the client network''s autonomous system number; 0 when unknown',
    ADD COLUMN IF NOT EXISTS asn_org LowCardinality(String) DEFAULT ''
        COMMENT 'the organisation the ASN is registered to',
    ADD COLUMN IF NOT EXISTS request_headers Map(String, String)
        COMMENT 'the headers the bot and device signals read (sec-fetch-*, sec-purpose, purpose, x-purpose, x-moz, sec-ch-ua*)';

-- One row per click that proved its client a scanner (a honeypot hit) or a
-- burst. Small: only bots land here. Rows repeat harmlessly (a replayed
-- insert, a re-classification): the views only ask whether one exists nearby.
CREATE TABLE IF NOT EXISTS linktrack.scanner_clients
(
    visitor_hash String,
    ts           DateTime64(3, 'UTC'),
    click_id     UUID,
    signal       LowCardinality(String) COMMENT 'honeypot or burst'
)
ENGINE = ReplacingMergeTree
ORDER BY (visitor_hash, ts, click_id, signal);

CREATE MATERIALIZED VIEW IF NOT EXISTS linktrack.scanner_clients_mv TO linktrack.scanner_clients AS
SELECT visitor_hash, ts, click_id, arrayJoin(arrayFilter(s -> s IN ('honeypot', 'burst'), bot_signals)) AS signal
FROM linktrack.clicks
WHERE visitor_hash != '' AND hasAny(bot_signals, ['honeypot', 'burst']);

-- People only, on links that redirected. A click is left out when it is a bot,
-- when its visitor hit a honeypot within 5 minutes before or after it, or when
-- it was one of the clicks (up to 10 s before) that made its visitor's burst.
-- The columns are those of linktrack.clicks; unique visitors: uniq(visitor_hash) per day.
CREATE OR REPLACE VIEW linktrack.human_clicks AS
SELECT c.*
FROM linktrack.clicks AS c
LEFT JOIN
(
    SELECT
        visitor_hash,
        groupArrayIf(toUnixTimestamp64Milli(ts), signal = 'honeypot') AS honeypot_ms,
        groupArrayIf(toUnixTimestamp64Milli(ts), signal = 'burst') AS burst_ms
    FROM linktrack.scanner_clients
    GROUP BY visitor_hash
) AS s ON c.visitor_hash = s.visitor_hash
WHERE c.is_bot = 0
  AND c.visit_type = 'redirect'
  AND NOT arrayExists(t -> abs(t - toUnixTimestamp64Milli(c.ts)) <= 300000, s.honeypot_ms)
  AND NOT arrayExists(t -> (t - toUnixTimestamp64Milli(c.ts)) BETWEEN 0 AND 10000, s.burst_ms);

-- Every click, with confirmed = 1 when the first-party script on its landing
-- page sent its click id back after a page view (linktrack.click_confirmations).
CREATE OR REPLACE VIEW linktrack.confirmed_clicks AS
SELECT *, toUInt8(click_id IN (SELECT click_id FROM linktrack.click_confirmations)) AS confirmed
FROM linktrack.clicks;
