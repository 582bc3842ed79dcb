-- The link registry mirrored from the links topic, so analysts can join clicks to links.
-- ReplacingMergeTree keeps the newest state per slug; query with FINAL for exact answers.
CREATE TABLE IF NOT EXISTS linktrack.links
(
    slug         String,
    url          String,
    destination  String,
    status       LowCardinality(String),
    utm_source   LowCardinality(String),
    utm_medium   LowCardinality(String),
    utm_campaign LowCardinality(String),
    utm_term     String,
    utm_content  String,
    created_at   DateTime64(3, 'UTC'),
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY slug
SETTINGS non_replicated_deduplication_window = 1000;
