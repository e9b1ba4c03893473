-- Named leases (common/store/lease.h): one replica at a time does a job that must run once.
-- IF NOT EXISTS: assessment created the same table in its own migration before it moved here.
CREATE TABLE IF NOT EXISTS leases (
  name       TEXT    PRIMARY KEY,
  holder     TEXT    NOT NULL,
  token      INTEGER NOT NULL,
  expires_us INTEGER NOT NULL
);
