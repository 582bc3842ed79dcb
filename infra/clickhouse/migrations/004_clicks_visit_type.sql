-- Why a request did or did not redirect, after Shlink's visit types: redirect,
-- unknown_slug, disabled, expired, base_url (a request for /) or invalid_path
-- (a path that cannot be a slug). Rows stored before this column existed, and
-- rows from a sink that predates it, get it from link_found, which stays as it
-- was: 1 exactly when visit_type is redirect.
ALTER TABLE linktrack.clicks
    ADD COLUMN IF NOT EXISTS visit_type LowCardinality(String)
    DEFAULT if(link_found = 1, 'redirect', 'unknown_slug')
    COMMENT 'redirect, unknown_slug, disabled, expired, base_url or invalid_path'
    AFTER link_found;
