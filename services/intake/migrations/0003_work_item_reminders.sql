-- The last date (YYYY-MM-DD, China time) an overdue work item was reminded (issue.overdue or
-- task.overdue, RemindOverdueWorkItems); '' never. Written in the transaction that publishes the
-- reminder, so a pass that runs twice on one day, or on two replicas, reminds once.
ALTER TABLE work_items ADD COLUMN reminded_on TEXT NOT NULL DEFAULT '';
