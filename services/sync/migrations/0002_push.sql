-- The push agent (docs/province-sync.md, "The push").

-- Its one state row: PushState (1 active, 2 paused by an operator, 3 halted on a refusal), the
-- last version the receiver acknowledged, why it is paused or halted, the record a refusal named,
-- consecutive failures of the current batch.
CREATE TABLE sync_push (
  id INTEGER PRIMARY KEY,
  state INTEGER NOT NULL,
  checkpoint INTEGER NOT NULL,
  reason TEXT NOT NULL,
  offending TEXT NOT NULL,
  failures INTEGER NOT NULL,
  last_success_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
INSERT INTO sync_push (id, state, checkpoint, reason, offending, failures, last_success_us,
                       update_us) VALUES (1, 1, 0, '', '', 0, 0, 0);

-- Every batch sent (seq orders them), with its latest attempt.
CREATE TABLE sync_pushes (
  batch_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  first_version INTEGER NOT NULL,
  last_version INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  stale INTEGER NOT NULL,
  error TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL
);
CREATE UNIQUE INDEX sync_pushes_by_seq ON sync_pushes (seq);
