-- The Redis a row was published to: its server's run_id. A Redis restart (a new run) may have lost
-- its last second of writes (appendfsync everysec), so rows published to another run shortly
-- before are published again (OutboxRelay); Redis drops those it still has by their dedupe keys.
ALTER TABLE outbox ADD COLUMN published_run TEXT;
