-- chainhub-support (docs/support/requests.md): enterprise requests (企业诉求) as tickets with
-- deadlines, and the working-day calendar and deadline rules those deadlines are counted by.

-- One request (data: a serialized chainhub.support.v1.Request without its etag, times and
-- enterprise display name). The columns repeat what lists, the sweep and the figures select on,
-- rewritten from the blob on every write. Times are microseconds since the epoch; a deadline the
-- rule does not set, and a milestone not met yet, is 0. next_deadline_us is the earliest deadline
-- of a milestone neither met nor escalated yet (0: none), so the sweep is a range scan.
-- external_id '' is none; input_digest is the digest of what the request was accepted with
-- (a re-import of the same row is unchanged, of a different one refused).
CREATE TABLE support_requests (
  id TEXT PRIMARY KEY,
  credit_code TEXT NOT NULL,
  chain TEXT NOT NULL,
  assignee TEXT NOT NULL,
  state INTEGER NOT NULL,
  channel INTEGER NOT NULL,
  tier INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  common_to_chain INTEGER NOT NULL,
  overdue INTEGER NOT NULL,
  escalation_level INTEGER NOT NULL,
  external_id TEXT NOT NULL,
  input_digest TEXT NOT NULL,
  accept_us INTEGER NOT NULL,
  accept_date TEXT NOT NULL,
  contact_deadline_us INTEGER NOT NULL,
  interim_reply_deadline_us INTEGER NOT NULL,
  close_deadline_us INTEGER NOT NULL,
  contact_us INTEGER NOT NULL,
  interim_reply_us INTEGER NOT NULL,
  close_us INTEGER NOT NULL,
  revisit_us INTEGER NOT NULL,
  satisfaction INTEGER NOT NULL,
  next_deadline_us INTEGER NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
-- Lists newest first, and the figures of a period: everything SummarizeRequests reads is in the
-- index, so a year of requests is read without touching the table.
CREATE INDEX support_requests_by_accept ON support_requests (accept_us, id, assignee, chain,
  contact_us, close_us, close_deadline_us, revisit_us, satisfaction);
CREATE INDEX support_requests_by_close_deadline ON support_requests (close_deadline_us, id);
CREATE INDEX support_requests_by_next_deadline ON support_requests (next_deadline_us);
CREATE INDEX support_requests_by_enterprise ON support_requests (credit_code);
CREATE INDEX support_requests_by_assignee ON support_requests (assignee);
CREATE UNIQUE INDEX support_requests_by_external_id ON support_requests (external_id)
  WHERE external_id <> '';

-- A request's tags, for the tag filter.
CREATE TABLE support_request_tags (
  tag TEXT NOT NULL,
  request_id TEXT NOT NULL,
  PRIMARY KEY (tag, request_id)
);
CREATE INDEX support_request_tags_by_request ON support_request_tags (request_id);

-- The calendar (name 'calendars/cn', data: a serialized chainhub.support.v1.Calendar) and the
-- deadline rules (name 'deadlineRules', data: a serialized chainhub.support.v1.DeadlineRules), as
-- an admin last put them; absent until then (the shipped ones apply).
CREATE TABLE support_request_settings (
  name TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);
