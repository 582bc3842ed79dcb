-- Every request the redirect served, one row per click after enrichment.
-- Column names are the public contract for analysts and dashboards.
-- Exactly-once effect: a batch replayed after a crash carries the same
-- insert_deduplication_token and is dropped at insert; a replay cut at other
-- offsets leaves duplicates of the same (slug, ts, click_id), which
-- ReplacingMergeTree collapses. Exact counts right after a crash: FROM linktrack.clicks FINAL.
CREATE TABLE IF NOT EXISTS linktrack.clicks
(
    click_id        UUID,
    ts              DateTime64(3, 'UTC'),
    slug            String,
    destination     String,
    method          LowCardinality(String),
    link_found      UInt8 COMMENT '0 for an orphan visit: the slug matched no active link',
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    referrer        String,
    referrer_domain LowCardinality(String),
    country         LowCardinality(String) COMMENT 'ISO 3166 alpha-2, empty when unknown',
    region          LowCardinality(String),
    city            LowCardinality(String),
    device_type     LowCardinality(String) COMMENT 'desktop, mobile, tablet, bot or other',
    os              LowCardinality(String),
    browser         LowCardinality(String),
    is_bot          UInt8,
    bot_reason      LowCardinality(String) COMMENT 'empty for humans',
    ip_prefix       String COMMENT 'IPv4 /24 or IPv6 /48, never the full address',
    user_agent      String,
    accept_language String,
    query           String COMMENT 'the short link request query string',
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (slug, ts, click_id)
SETTINGS non_replicated_deduplication_window = 10000;
