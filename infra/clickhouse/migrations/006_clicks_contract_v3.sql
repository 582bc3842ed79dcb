-- The click columns the trigger, click-data and conversions work share:
-- trigger (link or qr), where the visit came from (referrer_medium), the ad
-- click id type, every bot signal that fired with the classifier's version,
-- and a daily visitor hash for unique visitors. Older rows get the defaults.
ALTER TABLE linktrack.clicks
    ADD COLUMN IF NOT EXISTS trigger LowCardinality(String) DEFAULT 'link'
        COMMENT 'link, or qr for a scan of the link''s QR code',
    ADD COLUMN IF NOT EXISTS referrer_medium LowCardinality(String) DEFAULT ''
        COMMENT 'search, social, email, internal, unknown or direct',
    ADD COLUMN IF NOT EXISTS paid_click_id_type LowCardinality(String) DEFAULT ''
        COMMENT 'gclid, fbclid, msclkid, ttclid or li_fat_id when the request carried one',
    ADD COLUMN IF NOT EXISTS bot_signals Array(LowCardinality(String))
        COMMENT 'every bot or scanner signal that fired',
    ADD COLUMN IF NOT EXISTS classifier_version Int32 DEFAULT 0
        COMMENT 'the bot classifier that judged the click',
    ADD COLUMN IF NOT EXISTS visitor_hash String DEFAULT ''
        COMMENT 'daily-salted hash of client address and user agent, for unique visitors';

-- Human metrics read this view: people only, on links that redirected. The
-- click-data work refines it (scanner clients excluded).
CREATE VIEW IF NOT EXISTS linktrack.human_clicks AS
SELECT *
FROM linktrack.clicks
WHERE is_bot = 0 AND visit_type = 'redirect';
