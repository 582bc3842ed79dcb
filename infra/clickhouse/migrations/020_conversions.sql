-- Conversions: what a click led to (a signup, a purchase), sent by a server
-- with the api key or by a browser through the first-party script. One row per
-- conversion id: the same id sent twice is one conversion. Of two copies of one
-- id, the server's wins (trust 2 over 1), so a forged browser copy can never
-- replace a server-confirmed conversion. Exact counts: FROM linktrack.conversions FINAL
-- (analyst SQL reads FINAL by default).
CREATE TABLE IF NOT EXISTS linktrack.conversions
(
    conversion_id String COMMENT 'the sender''s id (the idempotency key), or one the api generated',
    click_id      UUID COMMENT 'the newest touch, credited by last click; all zeros when there is none',
    touches       Array(UUID) COMMENT 'the click ids that led here, oldest first; the last one is click_id',
    event         LowCardinality(String) COMMENT 'signup, purchase, ...: validated like a UTM value',
    value         Decimal(18, 4),
    currency      LowCardinality(String) COMMENT 'ISO 4217; empty when there is no value',
    source        LowCardinality(String) COMMENT 'server (api key) or browser (publishable key: unverified)',
    trust         UInt8 COMMENT '2 for server, 1 for browser: the version that wins between copies of one id',
    ts            DateTime64(3, 'UTC') COMMENT 'when it happened: occurred_at for a server, arrival for a browser',
    received_at   DateTime64(3, 'UTC') COMMENT 'when linktrack received it',
    inserted_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(trust)
ORDER BY conversion_id
SETTINGS non_replicated_deduplication_window = 1000;
