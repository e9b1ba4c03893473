-- What digest subscriptions collected and have not sent yet (docs/notify.md, Digests): one row per
-- subscription, recipient and event, with the text the event's template rendered. A window's rows
-- become its notices and are deleted in one transaction when the window ends.
CREATE TABLE digest_items (
  subscription TEXT NOT NULL,
  recipient TEXT NOT NULL,
  event_id TEXT NOT NULL,
  window_end_us INTEGER NOT NULL,
  chain TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  create_us INTEGER NOT NULL,
  PRIMARY KEY (subscription, recipient, event_id)
);
CREATE INDEX digest_items_by_window ON digest_items (window_end_us, subscription, recipient);
