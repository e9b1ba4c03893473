-- Tables every service has: the transactional outbox, the audit trail, idempotency records.

-- One row per event, written in the transaction of the change it describes. seq orders
-- publication; published_at is set once the relay has put the event on the stream.
CREATE TABLE outbox (
  seq          INTEGER PRIMARY KEY,
  event_id     TEXT    NOT NULL UNIQUE,
  type         TEXT    NOT NULL,
  payload      BLOB    NOT NULL,
  created_us   INTEGER NOT NULL,
  published_us INTEGER
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_us IS NULL;

CREATE TABLE audit_events (
  seq        INTEGER PRIMARY KEY,
  id         TEXT    NOT NULL UNIQUE,
  principal  TEXT    NOT NULL,
  method     TEXT    NOT NULL,
  resource   TEXT    NOT NULL,
  request_id TEXT    NOT NULL,
  time_us    INTEGER NOT NULL,
  detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_resource ON audit_events (resource, seq);

CREATE TABLE idempotency (
  method     TEXT    NOT NULL,
  request_id TEXT    NOT NULL,
  digest     TEXT    NOT NULL,
  response   BLOB    NOT NULL,
  created_us INTEGER NOT NULL,
  PRIMARY KEY (method, request_id)
);
