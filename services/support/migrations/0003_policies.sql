-- chainhub-support (docs/support/policies.md): 政策链 — policies, their claimable items with the
-- eligibility rules matched against the enterprise copy, and the payout ledger of claims.

-- Policy documents (data: a serialized chainhub.support.v1.Policy without etag and times).
-- department: who issued it, the only department that may write it and its items.
CREATE TABLE support_policies (
  id TEXT PRIMARY KEY,
  department TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX support_policies_by_department ON support_policies (department, id);
-- The chains a policy is for (chain ids); none: every chain.
CREATE TABLE support_policy_chains (
  policy_id TEXT NOT NULL,
  chain TEXT NOT NULL,
  PRIMARY KEY (policy_id, chain)
);
CREATE INDEX support_policy_chains_by_chain ON support_policy_chains (chain, policy_id);

-- Claimable items (data: a serialized chainhub.support.v1.PolicyItem without its output-only
-- fields). department: who pays it. open_date and close_date: the window, '' when open-ended.
CREATE TABLE support_policy_items (
  policy_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  lane INTEGER NOT NULL,
  department TEXT NOT NULL,
  open_date TEXT NOT NULL,
  close_date TEXT NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (policy_id, item_id)
);
CREATE INDEX support_policy_items_by_lane ON support_policy_items (lane, policy_id, item_id);
CREATE INDEX support_policy_items_by_department
  ON support_policy_items (department, policy_id, item_id);

-- The ledger: one claim per item and enterprise (data: a serialized chainhub.support.v1.Claim
-- without name, display name, etag and times). state: the ClaimState number.
CREATE TABLE support_claims (
  policy_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  credit_code TEXT NOT NULL,
  state INTEGER NOT NULL,
  automatic INTEGER NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  PRIMARY KEY (policy_id, item_id, credit_code)
);
CREATE INDEX support_claims_by_enterprise ON support_claims (credit_code, policy_id, item_id);
CREATE INDEX support_claims_by_state ON support_claims (state, policy_id, item_id, credit_code);
