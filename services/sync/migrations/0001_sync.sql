-- chainhub-sync's own copy of the city's data in the province's taxonomy (docs/province-sync.md).

-- The registry's provincial lists (data: a serialized chainhub.registry.v1.ProvinceList) and the
-- city-to-province mapping (province_chains: ids joined by ',').
CREATE TABLE sync_province_lists (
  version TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE sync_chain_mappings (
  chain TEXT NOT NULL,
  version TEXT NOT NULL,
  province_chains TEXT NOT NULL,
  PRIMARY KEY (chain, version)
);

-- The latest city entity behind the records, by kind (chain, enterprise, project, progress, run)
-- and resource name: what records are derived from again when the taxonomy changes. chain is the
-- city chain id(s) it concerns (',' joined), parent the project of a progress report.
CREATE TABLE sync_sources (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  chain TEXT NOT NULL,
  parent TEXT NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX sync_sources_by_parent ON sync_sources (parent, kind);

-- What the province should hold: one row per record key at its latest version (deleted rows are
-- tombstones), which is also the change feed. version is the change seq that last set the row,
-- taken from sync_seq, whose row is locked until the commit: versions grow in commit order, so a
-- reader resuming after a version never skips a row committed later, and a key changed twice
-- appears once, at its latest version. source is the sync_sources id it derives from.
CREATE TABLE sync_records (
  list_version TEXT NOT NULL,
  record_type INTEGER NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  business_date TEXT NOT NULL,
  source TEXT NOT NULL,
  change_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (list_version, record_type, id)
);
CREATE UNIQUE INDEX sync_records_by_version ON sync_records (version);
CREATE INDEX sync_records_by_source ON sync_records (source);
CREATE TABLE sync_seq (
  id INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);
INSERT INTO sync_seq (id, last) VALUES (1, 0);

-- The list in force when chains and enterprises were last expressed: a new one re-expresses them.
CREATE TABLE sync_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
