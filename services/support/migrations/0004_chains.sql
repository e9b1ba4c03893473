-- chainhub-support (docs/support/chain-lists.md, local-rate.md, plans.md): the chain-keyed lists
-- (多链协同), the supplier spend the 本地配套率 is computed from, and chain plans (规划引领) with
-- what publishing them did and the progress reported against them.

-- Chain entries (data: a serialized chainhub.support.v1.ChainEntry without its output-only
-- fields). valid_from / valid_to '' is open-ended. Ids are UUIDv7, unique across chains.
CREATE TABLE support_chain_entries (
  chain TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  status INTEGER NOT NULL,
  node TEXT NOT NULL,
  owner TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (chain, id)
);
CREATE UNIQUE INDEX support_chain_entries_by_id ON support_chain_entries (id);

-- One chain-owner firm's supplier spend for a chain and period (data: a serialized
-- chainhub.support.v1.SupplierSpend holding its lines only). A new report replaces the row.
CREATE TABLE support_spend_reports (
  chain TEXT NOT NULL,
  reporter TEXT NOT NULL,
  period TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  total_yuan INTEGER NOT NULL,
  data BLOB NOT NULL,
  principal TEXT NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (chain, reporter, period)
);
CREATE INDEX support_spend_reports_by_period ON support_spend_reports (chain, period, reporter);

-- Chain plans: one head row per plan (the latest version, the version last published, the
-- revision its etag is made of) and every version's content (data: a serialized
-- chainhub.support.v1.ChainPlan without output-only fields).
CREATE TABLE support_chain_plans (
  chain TEXT NOT NULL,
  id TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_year INTEGER NOT NULL,
  end_year INTEGER NOT NULL,
  version INTEGER NOT NULL,
  published_version INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (chain, id)
);
CREATE UNIQUE INDEX support_chain_plans_by_id ON support_chain_plans (id);
CREATE TABLE support_chain_plan_versions (
  plan_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  data BLOB NOT NULL,
  principal TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  PRIMARY KEY (plan_id, version)
);
-- The day each task number first appeared in a plan (a task's 序时 starts there, or on the
-- plan's first day when that is later).
CREATE TABLE support_plan_task_starts (
  plan_id TEXT NOT NULL,
  number TEXT NOT NULL,
  start_date TEXT NOT NULL,
  PRIMARY KEY (plan_id, number)
);
-- What publishing did, per target (item 'target', key '<indicator>|<year>') and task (item
-- 'task', key its number): the digest of what was sent, the version it was sent from, and for a
-- task the intake work item (tasks/{id}) it became. A re-publish skips what is unchanged.
CREATE TABLE support_plan_publications (
  plan_id TEXT NOT NULL,
  item TEXT NOT NULL,
  item_key TEXT NOT NULL,
  digest TEXT NOT NULL,
  work_item TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (plan_id, item, item_key)
);
-- Progress reported against a plan: actual values per period and indicator (cumulative for the
-- year), and per-task reports per period. A report for the same period replaces its values.
CREATE TABLE support_plan_actuals (
  plan_id TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  year INTEGER NOT NULL,
  period_end TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  principal TEXT NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (plan_id, period, indicator)
);
CREATE TABLE support_plan_task_reports (
  plan_id TEXT NOT NULL,
  period TEXT NOT NULL,
  number TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  percent_done INTEGER NOT NULL,
  done INTEGER NOT NULL,
  note TEXT NOT NULL,
  principal TEXT NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (plan_id, period, number)
);
-- The plan.target_at_risk events already published: one per plan, target or task (item_key
-- 'target:<indicator>|<year>' or 'task:<number>') and warning period.
CREATE TABLE support_plan_risk_events (
  plan_id TEXT NOT NULL,
  item_key TEXT NOT NULL,
  period TEXT NOT NULL,
  as_of TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  PRIMARY KEY (plan_id, item_key, period)
);
