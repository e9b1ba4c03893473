-- Assessment's own records. Everything a run reads is kept with its history (append-only rows
-- stamped recorded_us), so a run recomputed later from its as-of instant sees exactly what it saw.

-- Indicators: the current definition, and every definition it has had.
CREATE TABLE indicators (
  key TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE TABLE indicator_versions (
  key TEXT NOT NULL,
  revision INTEGER NOT NULL,
  data BLOB NOT NULL,
  recorded_us INTEGER NOT NULL,
  PRIMARY KEY (key, revision)
);

-- Targets: every setting kept; the latest recorded by an instant is the one in force then.
CREATE TABLE targets (
  subject TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  value REAL NOT NULL,
  principal TEXT NOT NULL,
  PRIMARY KEY (subject, indicator, period, recorded_us)
);
CREATE INDEX targets_by_indicator ON targets (indicator, period, subject);

-- Reported values: revision 1, 2, … per subject, indicator and period.
CREATE TABLE reported_values (
  subject TEXT NOT NULL,
  indicator TEXT NOT NULL,
  period TEXT NOT NULL,
  revision INTEGER NOT NULL,
  value REAL NOT NULL,
  evidence TEXT NOT NULL,
  principal TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  PRIMARY KEY (subject, indicator, period, revision)
);
CREATE INDEX reported_values_by_indicator ON reported_values (indicator, period, subject);

-- Schemes and their versions (a version is never changed once written).
CREATE TABLE schemes (
  id TEXT PRIMARY KEY,
  latest_version INTEGER NOT NULL,
  create_us INTEGER NOT NULL
);
CREATE TABLE scheme_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  data BLOB NOT NULL,
  content_key TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  PRIMARY KEY (id, version)
);

-- Ratings entered by assessors: every entry kept, the latest by an instant counts.
CREATE TABLE ratings (
  scheme TEXT NOT NULL,
  item TEXT NOT NULL,
  subject TEXT NOT NULL,
  period TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  points REAL NOT NULL,
  note TEXT NOT NULL,
  principal TEXT NOT NULL,
  PRIMARY KEY (scheme, item, subject, period, recorded_us)
);

-- Runs: the whole Run in data; the columns are what lists filter and sort on. Ids are UUIDv7, so
-- id order is creation order.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  scheme TEXT NOT NULL,
  scheme_version INTEGER NOT NULL,
  period TEXT NOT NULL,
  kind INTEGER NOT NULL,
  trigger_kind INTEGER NOT NULL,
  published INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX runs_by_scheme ON runs (scheme, period, kind, id);

-- Schedules, and the leases that let one replica at a time act on them (fenced by token).
CREATE TABLE schedules (
  id TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  last_period TEXT NOT NULL
);
-- IF NOT EXISTS since common migration 0005 creates the same table for every service (leases
-- moved to common/store/lease.h); on a store migrated before that, this ran first and 0005 skips.
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  token INTEGER NOT NULL,
  expires_us INTEGER NOT NULL
);
