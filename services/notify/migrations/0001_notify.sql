-- Notices and their deliveries (docs/notify.md).

-- A notice as sent; its counts are computed from its deliveries.
CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  sender TEXT NOT NULL,
  chain TEXT NOT NULL,
  kind INTEGER NOT NULL,
  about TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX notices_by_sender ON notices (sender, id);

-- One row per recipient of a notice. seq is the inbox order: taken from delivery_seq inside the
-- transaction that makes the delivery, so it grows in commit order on SQLite and PostgreSQL alike
-- (the counter row is locked until the commit), and WatchInbox resuming after a seq never skips a
-- delivery committed later.
CREATE TABLE deliveries (
  seq INTEGER PRIMARY KEY,
  notice_id TEXT NOT NULL,
  id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  state INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  chain TEXT NOT NULL,
  about TEXT NOT NULL,
  receipt_required INTEGER NOT NULL,
  deadline_us INTEGER NOT NULL,
  late INTEGER NOT NULL,
  escalated INTEGER NOT NULL,
  deliver_us INTEGER NOT NULL,
  read_us INTEGER NOT NULL,
  acknowledge_us INTEGER NOT NULL,
  acknowledged_by TEXT NOT NULL,
  acknowledge_note TEXT NOT NULL,
  revision INTEGER NOT NULL,
  update_us INTEGER NOT NULL,
  UNIQUE (notice_id, id)
);
CREATE INDEX deliveries_by_recipient ON deliveries (recipient, seq);
CREATE INDEX deliveries_by_deadline ON deliveries (deadline_us) WHERE receipt_required = 1;

CREATE TABLE delivery_seq (
  id INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);
INSERT INTO delivery_seq (id, last) VALUES (1, 0);
