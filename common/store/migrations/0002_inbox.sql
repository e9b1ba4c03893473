-- The consumer inbox: one row per event a consumer group has handled, written in the same
-- transaction as the event's effect, so a redelivered event finds its row and has no second effect.
-- outcome is 'applied', or 'skipped' for an event the group can never apply (detail says why).
CREATE TABLE inbox (
  consumer_group TEXT    NOT NULL,
  event_id       TEXT    NOT NULL,
  outcome        TEXT    NOT NULL,
  detail         TEXT    NOT NULL DEFAULT '',
  applied_us     INTEGER NOT NULL,
  PRIMARY KEY (consumer_group, event_id)
);
