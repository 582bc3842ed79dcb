-- Clicks a real browser confirmed: the first-party script on the landing page
-- sent the click id back after a page view. One row per confirmation; a click
-- is confirmed when any row has its id.
CREATE TABLE IF NOT EXISTS linktrack.click_confirmations
(
    click_id    UUID,
    ts          DateTime64(3, 'UTC'),
    source      LowCardinality(String),
    inserted_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY click_id
SETTINGS non_replicated_deduplication_window = 1000;
