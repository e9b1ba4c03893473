-- Supervision letters escalated to their chain leader's office: one row per letter, so a letter
-- escalates once however many sweepers run (docs/notify.md, Overdue and escalation).
CREATE TABLE escalations (
  notice_id TEXT PRIMARY KEY,
  escalation TEXT NOT NULL,
  create_us INTEGER NOT NULL
);
CREATE INDEX deliveries_overdue_unescalated ON deliveries (notice_id) WHERE state = 5 AND escalated = 0;
