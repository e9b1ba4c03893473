-- Inbox rows older than the event retention are pruned (EventConsumer::PruneInbox); this index
-- keeps that a range delete. outcome may now also be 'unhandled': an event of a type the group does
-- not handle, recorded and acknowledged so it is never silently dropped.
CREATE INDEX inbox_applied ON inbox (consumer_group, applied_us);
