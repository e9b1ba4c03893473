-- What the reference provincial receiver holds (docs/province-sync.md).

-- One row per record key: the highest version received, kept when deleted (a tombstone) so that
-- an older version arriving later is recognised as stale. data is the Record as received.
CREATE TABLE province_records (
  list_version TEXT NOT NULL,
  record_type INTEGER NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  data BLOB NOT NULL,
  receive_us INTEGER NOT NULL,
  PRIMARY KEY (list_version, record_type, id)
);

-- One row per live record and category ('' for a record with none): what a category lists and
-- what its digest sums. hash_hi and hash_lo are the high and low 32 bits of the record's hash
-- (services/province/records.h), summed apart so that SQL adds them without overflow; GetDigests
-- computes every digest from these rows, so a row deleted by hand shows in the digest at once.
CREATE TABLE province_record_categories (
  list_version TEXT NOT NULL,
  category TEXT NOT NULL,
  record_type INTEGER NOT NULL,
  id TEXT NOT NULL,
  hash_hi INTEGER NOT NULL,
  hash_lo INTEGER NOT NULL,
  PRIMARY KEY (list_version, category, record_type, id)
);

-- Every batch received, with its answer: a batch id seen again returns that answer.
CREATE TABLE province_batches (
  batch_id TEXT PRIMARY KEY,
  body_digest TEXT NOT NULL,
  principal TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  applied INTEGER NOT NULL,
  stale INTEGER NOT NULL,
  receive_us INTEGER NOT NULL
);
