-- Messages a stage could not process, with the original bytes (base64) kept for replay.
CREATE TABLE IF NOT EXISTS linktrack.dead_letters
(
    ts               DateTime64(3, 'UTC'),
    stage            LowCardinality(String),
    reason           LowCardinality(String),
    error            String,
    source_topic     LowCardinality(String),
    source_partition Int32,
    source_offset    String,
    payload_base64   String
)
ENGINE = MergeTree
ORDER BY ts
TTL toDateTime(ts) + INTERVAL 90 DAY
SETTINGS non_replicated_deduplication_window = 1000;
