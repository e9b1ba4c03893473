-- chainhub-support (docs/support.md): the copy of the registry's enterprises that eligibility
-- rules, matching and access checks read, and the 包保 assignments, which also decide who may
-- see an enterprise.

-- The registry's enterprises as its events last described them (data: a serialized
-- chainhub.registry.v1.Enterprise), and the chains each is on.
CREATE TABLE support_enterprises (
  credit_code TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  county TEXT NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE support_enterprise_chains (
  chain TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  PRIMARY KEY (chain, credit_code)
);
CREATE INDEX support_enterprise_chains_by_code ON support_enterprise_chains (credit_code);

-- Named values of the service's own state (e.g. when the first-start backfill finished).
CREATE TABLE support_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- 包保 assignments (data: a serialized chainhub.support.v1.Assignment without its output-only
-- fields). end_date '' is open-ended. next_visit_due is recomputed on every visit.
CREATE TABLE support_assignments (
  id TEXT PRIMARY KEY,
  credit_code TEXT NOT NULL,
  cadence INTEGER NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  last_visit_date TEXT NOT NULL,
  next_visit_due TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX support_assignments_by_enterprise ON support_assignments (credit_code);
CREATE INDEX support_assignments_by_due ON support_assignments (next_visit_due);
-- Every department of an assignment (its leader's and its officers'): who may see the
-- enterprise while the assignment is active.
CREATE TABLE support_assignment_departments (
  assignment_id TEXT NOT NULL,
  department TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  end_date TEXT NOT NULL,
  PRIMARY KEY (assignment_id, department)
);
CREATE INDEX support_assignment_departments_by_code
  ON support_assignment_departments (credit_code, department);
CREATE INDEX support_assignment_departments_by_department
  ON support_assignment_departments (department);

CREATE TABLE support_visits (
  assignment_id TEXT NOT NULL,
  id TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  visit_date TEXT NOT NULL,
  data BLOB NOT NULL,
  create_us INTEGER NOT NULL,
  PRIMARY KEY (assignment_id, id)
);
CREATE INDEX support_visits_by_date ON support_visits (visit_date, assignment_id, id);

-- 一企一策 plans (data: a serialized chainhub.support.v1.FirmPlan without output-only fields).
CREATE TABLE support_firm_plans (
  id TEXT PRIMARY KEY,
  credit_code TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX support_firm_plans_by_enterprise ON support_firm_plans (credit_code);
