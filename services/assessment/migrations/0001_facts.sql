-- Assessment's facts, fed by the event stream (group `assessment`) after a backfill from intake's
-- and the registry's list APIs, and kept WITH THEIR HISTORY: every change of a record is a new
-- row (a version) stamped with the time of the change (the CloudEvent `time`, or the resource's
-- update_time for a backfilled version). A version is in force from recorded_us until the next
-- version's recorded_us, kept in superseded_us (9223372036854775807 while it is the newest), so the
-- facts as of T are `recorded_us <= T AND superseded_us > T`. A deletion is a version with
-- deleted = 1 (a tombstone). hash_hi / hash_lo are the two 32-bit halves of a 64-bit hash of the
-- record's key and content (not its time): measures sum them into digests of what counted.
-- Dates are YYYY-MM-DD text ('' when unset), months YYYY-MM, amounts yuan.

CREATE TABLE fact_projects (
  id TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  superseded_us INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  county TEXT NOT NULL,
  stage INTEGER NOT NULL,
  negotiating_date TEXT NOT NULL,
  signed_date TEXT NOT NULL,
  registered_date TEXT NOT NULL,
  started_date TEXT NOT NULL,
  in_production_date TEXT NOT NULL,
  full_output_date TEXT NOT NULL,
  total_yuan INTEGER NOT NULL,
  fixed_asset_yuan INTEGER NOT NULL,
  source INTEGER NOT NULL,
  investor_origin INTEGER NOT NULL,
  fortune500 INTEGER NOT NULL,
  provincial_key INTEGER NOT NULL,
  light INTEGER NOT NULL,
  create_date TEXT NOT NULL,
  PRIMARY KEY (id, recorded_us)
);
CREATE INDEX fact_projects_in_force ON fact_projects (superseded_us, recorded_us);

-- One record per project and month; re-reporting a month is a new version of it.
CREATE TABLE fact_progress_reports (
  project_id TEXT NOT NULL,
  month TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  superseded_us INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  completed_yuan INTEGER NOT NULL,
  funds_arrived_yuan INTEGER NOT NULL,
  PRIMARY KEY (project_id, month, recorded_us)
);
CREATE INDEX fact_progress_reports_in_force
  ON fact_progress_reports (superseded_us, recorded_us, project_id, month);

-- Issues and tasks: name is issues/{id} or tasks/{id}; subject_project the project id when the
-- subject is a project ('' for a chain).
CREATE TABLE fact_work_items (
  name TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  superseded_us INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  title TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  subject_project TEXT NOT NULL,
  deadline TEXT NOT NULL,
  status INTEGER NOT NULL,
  resolved_date TEXT NOT NULL,
  create_date TEXT NOT NULL,
  PRIMARY KEY (name, recorded_us)
);
CREATE INDEX fact_work_items_in_force ON fact_work_items (superseded_us, recorded_us);
CREATE INDEX fact_work_items_by_project ON fact_work_items (subject_project, recorded_us);

-- labels: a bit (1 << EnterpriseLabel) per label held.
CREATE TABLE fact_enterprises (
  credit_code TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  superseded_us INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  county TEXT NOT NULL,
  labels INTEGER NOT NULL,
  annual_output_yuan INTEGER NOT NULL,
  PRIMARY KEY (credit_code, recorded_us)
);
CREATE INDEX fact_enterprises_in_force ON fact_enterprises (superseded_us, recorded_us);

-- The chains an enterprise version is on (through its memberships), part of that version.
CREATE TABLE fact_enterprise_chains (
  credit_code TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  chain_id TEXT NOT NULL,
  PRIMARY KEY (credit_code, recorded_us, chain_id)
);

-- status: registry ChainStatus.
CREATE TABLE fact_chains (
  chain_id TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  superseded_us INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  display_name TEXT NOT NULL,
  status INTEGER NOT NULL,
  PRIMARY KEY (chain_id, recorded_us)
);

-- The host counties (产业主要承载地) of a chain version, part of that version.
CREATE TABLE fact_chain_counties (
  chain_id TEXT NOT NULL,
  recorded_us INTEGER NOT NULL,
  county TEXT NOT NULL,
  PRIMARY KEY (chain_id, recorded_us, county)
);

-- The last backfill: backfill_us (when it finished) and backfill_stream_id (the stream position
-- consumption continued from). No row: the facts were never backfilled.
CREATE TABLE facts_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
