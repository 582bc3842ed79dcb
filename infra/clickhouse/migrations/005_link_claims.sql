-- The create that claimed a slug; of two creates racing for one slug (two api
-- instances on Kafka), the first in the links topic wins and keeps its claim.
ALTER TABLE linktrack.links ADD COLUMN IF NOT EXISTS claim_id String DEFAULT '';
