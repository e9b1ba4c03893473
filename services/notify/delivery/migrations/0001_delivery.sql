-- Endpoints, dispatches and their attempts (docs/notify.md, Channels and delivery).

-- Endpoints: the resource (data, without its secret, etag and times) beside the columns the
-- workers read. Secrets live only here; the API never returns them.
CREATE TABLE notify_endpoints (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  channel INTEGER NOT NULL,
  state INTEGER NOT NULL,
  rate_per_minute INTEGER NOT NULL,
  pause_after_failures INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL,
  data BLOB NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT NOT NULL,
  previous_until_us INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
CREATE INDEX notify_endpoints_by_recipient ON notify_endpoints (recipient);

-- Dispatches: one message to one endpoint, QUEUED (1) until SENT (2) or DEAD (3). A worker
-- holds a lease (lease_holder until lease_until_us) while it sends.
CREATE TABLE notify_dispatches (
  id TEXT PRIMARY KEY,
  endpoint TEXT NOT NULL,
  channel INTEGER NOT NULL,
  state INTEGER NOT NULL,
  attempt_count INTEGER NOT NULL,
  next_attempt_us INTEGER NOT NULL,
  lease_holder TEXT NOT NULL,
  lease_until_us INTEGER NOT NULL,
  deliveries TEXT NOT NULL,
  kind INTEGER NOT NULL,
  title TEXT NOT NULL,
  markdown TEXT NOT NULL,
  webhook_json TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  -- Retries give up give_up_after past this: creation, or the last Redeliver.
  retry_from_us INTEGER NOT NULL,
  sent_us INTEGER NOT NULL
);
CREATE INDEX notify_dispatches_due ON notify_dispatches (state, next_attempt_us);
CREATE INDEX notify_dispatches_by_endpoint ON notify_dispatches (endpoint, state);

-- Every attempt, numbered per dispatch; also what the per-endpoint rate counts.
CREATE TABLE notify_attempts (
  dispatch TEXT NOT NULL,
  seq INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  time_us INTEGER NOT NULL,
  status INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  response TEXT NOT NULL,
  PRIMARY KEY (dispatch, seq)
);
CREATE INDEX notify_attempts_by_endpoint ON notify_attempts (endpoint, time_us);
