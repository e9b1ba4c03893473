-- Intake's tables. Resources are stored as protobuf (data) beside the columns that filters,
-- orderings and rules use; etag and times have their own columns.

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  chain_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  county TEXT NOT NULL,
  park TEXT NOT NULL,
  display_name TEXT NOT NULL,
  source INTEGER NOT NULL,
  investor_origin INTEGER NOT NULL,
  fortune500 INTEGER NOT NULL,
  provincial_key INTEGER NOT NULL,
  total_investment INTEGER NOT NULL,
  responsible_department TEXT NOT NULL,
  stage INTEGER NOT NULL,
  stalled_from INTEGER NOT NULL,
  last_change_date TEXT NOT NULL,
  light INTEGER NOT NULL,
  external_id TEXT,
  synthetic INTEGER NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE UNIQUE INDEX projects_by_external_id ON projects (external_id);
CREATE INDEX projects_by_create ON projects (create_us, id);
CREATE INDEX projects_by_chain ON projects (chain_id, create_us, id);
CREATE INDEX projects_by_total ON projects (total_investment, id);
CREATE INDEX projects_by_chain_total ON projects (chain_id, total_investment, create_us, id);

-- Every stage move, in order (seq from 1 per project).
CREATE TABLE stage_changes (
  project_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  from_stage INTEGER NOT NULL,
  to_stage INTEGER NOT NULL,
  effective_date TEXT NOT NULL,
  reason TEXT NOT NULL,
  principal TEXT NOT NULL,
  record_us INTEGER NOT NULL,
  PRIMARY KEY (project_id, seq)
);

-- One report per project and month; re-reporting replaces it (revision counts the reports).
CREATE TABLE progress_reports (
  project_id TEXT NOT NULL,
  month TEXT NOT NULL,
  completed INTEGER NOT NULL,
  funds INTEGER NOT NULL,
  note TEXT NOT NULL,
  allow_over_total INTEGER NOT NULL,
  principal TEXT NOT NULL,
  report_us INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (project_id, month)
);

-- Issues (问题清单) and tasks (任务清单).
CREATE TABLE work_items (
  id TEXT PRIMARY KEY,
  kind INTEGER NOT NULL,
  status INTEGER NOT NULL,
  subject TEXT NOT NULL,
  chain_id TEXT NOT NULL,
  owner_department TEXT NOT NULL,
  deadline TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX work_items_by_deadline ON work_items (deadline, id);
CREATE INDEX work_items_by_subject ON work_items (subject);

-- Light thresholds (one row, id 1); defaults apply while it is absent.
CREATE TABLE light_rules (
  id INTEGER PRIMARY KEY,
  data BLOB NOT NULL,
  update_us INTEGER NOT NULL
);

-- The local read copy of the registry, fed by its events. `version` is the id (UUIDv7) of the
-- event (or lookup) that wrote the row: an older event never overwrites a newer state. Deleted
-- chains and nodes stay as tombstones (deleted = 1) for the same reason.
CREATE TABLE ref_chains (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  province_chains TEXT NOT NULL,
  categories_known INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  version TEXT NOT NULL
);
CREATE TABLE ref_nodes (
  chain_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  province_override TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (chain_id, node_id)
);
-- Province chain ids of every list the registry has published (for province_chains overrides).
CREATE TABLE ref_province_chains (
  list_version TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (list_version, id)
);
