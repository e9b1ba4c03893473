-- The chain registry: chains, departments, chain-map nodes, enterprises and their memberships,
-- the provincial lists and the city-to-province mapping. Each resource is stored as its protobuf
-- (data) beside the columns that filters, orderings and reference checks need.

CREATE TABLE departments (
  id           TEXT    PRIMARY KEY,
  display_name TEXT    NOT NULL,
  short_name   TEXT    NOT NULL DEFAULT '',
  data         BLOB    NOT NULL,
  revision     INTEGER NOT NULL,
  create_us    INTEGER NOT NULL,
  update_us    INTEGER NOT NULL
);

CREATE TABLE chains (
  id              TEXT    PRIMARY KEY,
  display_name    TEXT    NOT NULL,
  status          INTEGER NOT NULL,
  lead_department TEXT    NOT NULL DEFAULT '',
  target_output   INTEGER NOT NULL DEFAULT 0,
  data            BLOB    NOT NULL,
  revision        INTEGER NOT NULL,
  create_us       INTEGER NOT NULL,
  update_us       INTEGER NOT NULL
);

-- Departments a chain refers to (lead department and member units), for reference checks.
CREATE TABLE chain_departments (
  chain_id      TEXT NOT NULL,
  department_id TEXT NOT NULL,
  PRIMARY KEY (chain_id, department_id)
);
CREATE INDEX chain_departments_department ON chain_departments (department_id);

-- Host counties of a chain (产业主要承载地), for filtering chains by county.
CREATE TABLE chain_counties (
  chain_id TEXT NOT NULL,
  county   TEXT NOT NULL,
  PRIMARY KEY (chain_id, county)
);

CREATE TABLE nodes (
  chain_id     TEXT    NOT NULL,
  node_id      TEXT    NOT NULL,
  parent_id    TEXT    NOT NULL DEFAULT '',
  segment      INTEGER NOT NULL,
  ord          INTEGER NOT NULL DEFAULT 0,
  display_name TEXT    NOT NULL,
  data         BLOB    NOT NULL,
  revision     INTEGER NOT NULL,
  create_us    INTEGER NOT NULL,
  update_us    INTEGER NOT NULL,
  PRIMARY KEY (chain_id, node_id)
);
CREATE INDEX nodes_order ON nodes (chain_id, segment, ord, node_id);

CREATE TABLE enterprises (
  credit_code   TEXT    PRIMARY KEY,
  display_name  TEXT    NOT NULL,
  county        TEXT    NOT NULL DEFAULT '',
  park          TEXT    NOT NULL DEFAULT '',
  annual_output INTEGER NOT NULL DEFAULT 0,
  synthetic     INTEGER NOT NULL DEFAULT 0,
  data          BLOB    NOT NULL,
  revision      INTEGER NOT NULL,
  create_us     INTEGER NOT NULL,
  update_us     INTEGER NOT NULL
);
CREATE INDEX enterprises_display_name ON enterprises (display_name, credit_code);
CREATE INDEX enterprises_output ON enterprises (annual_output, credit_code);
CREATE INDEX enterprises_county ON enterprises (county, credit_code);

CREATE TABLE enterprise_labels (
  credit_code TEXT    NOT NULL,
  label       INTEGER NOT NULL,
  PRIMARY KEY (credit_code, label)
);
CREATE INDEX enterprise_labels_label ON enterprise_labels (label, credit_code);

-- An enterprise on a chain-map node. The enterprise's memberships are read from here.
CREATE TABLE memberships (
  credit_code TEXT NOT NULL,
  chain_id    TEXT NOT NULL,
  node_id     TEXT NOT NULL,
  PRIMARY KEY (credit_code, chain_id, node_id)
);
CREATE INDEX memberships_node ON memberships (chain_id, node_id, credit_code);

CREATE TABLE province_lists (
  version        TEXT    PRIMARY KEY,
  effective_from TEXT    NOT NULL,
  effective_to   TEXT    NOT NULL DEFAULT '',
  data           BLOB    NOT NULL,
  update_us      INTEGER NOT NULL
);

CREATE TABLE chain_province_mappings (
  chain_id TEXT NOT NULL,
  version  TEXT NOT NULL,
  data     BLOB NOT NULL,
  PRIMARY KEY (chain_id, version)
);
