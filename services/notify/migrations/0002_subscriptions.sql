-- Subscriptions: the rules that turn events into notices (docs/notify.md, Rules on events).

-- The resource (data, without etag and times) beside the columns lists filter on.
CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  disabled INTEGER NOT NULL,
  digest INTEGER NOT NULL,
  data BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_us INTEGER NOT NULL,
  update_us INTEGER NOT NULL
);

-- Which event types each subscription listens to: the consumer reads the rules of one type.
CREATE TABLE subscription_types (
  type TEXT NOT NULL,
  subscription TEXT NOT NULL,
  PRIMARY KEY (type, subscription)
);
CREATE INDEX subscription_types_by_subscription ON subscription_types (subscription);
