-- When a PAUSED endpoint may be probed next: one due dispatch is attempted then, and its success
-- resumes the endpoint (docs/notify.md, Rate and pause). 0 while the endpoint is ACTIVE.
ALTER TABLE notify_endpoints ADD COLUMN probe_at_us INTEGER NOT NULL DEFAULT 0;
