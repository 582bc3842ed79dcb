-- How a link redirects, its tags and lifecycle, mirrored from LinkEvent v3.
ALTER TABLE linktrack.links
    ADD COLUMN IF NOT EXISTS redirect_status Int32 DEFAULT 0 COMMENT '301, 302, 307 or 308; 0 for the default',
    ADD COLUMN IF NOT EXISTS forward_query UInt8 DEFAULT 1,
    ADD COLUMN IF NOT EXISTS track_conversions UInt8 DEFAULT 1,
    ADD COLUMN IF NOT EXISTS tags Array(String),
    ADD COLUMN IF NOT EXISTS expires_at Nullable(DateTime64(3, 'UTC')),
    ADD COLUMN IF NOT EXISTS max_human_clicks Int32 DEFAULT 0 COMMENT '0 for no cap',
    ADD COLUMN IF NOT EXISTS exhausted_at Nullable(DateTime64(3, 'UTC')),
    ADD COLUMN IF NOT EXISTS honeypot UInt8 DEFAULT 0;
