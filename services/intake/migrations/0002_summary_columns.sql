-- Columns beside each project that SummarizeProjects and the size_band filter read from indexes
-- instead of decoding every project and replaying every stage history. The service writes them
-- with the project (intake_store.cc, ProjectValues); existing rows get them here.
--
-- size_bucket: which of the disjoint total-investment ranges cut at the size-band bounds the
-- project falls in (0: < 1亿, 1: 1–5亿, 2: 5–10亿, 3: 10–20亿, 4: 20–50亿, 5: 50–100亿,
-- 6: ≥ 100亿; SizeBucketOf in summary.h). Every size band is one bucket or a run of them, so a
-- band filter is an equality (or a short range) on it, and the (chain, bucket, create time)
-- index hands back a band's projects already in page order instead of sorting every match.
ALTER TABLE projects ADD COLUMN size_bucket INTEGER NOT NULL DEFAULT 0;
UPDATE projects SET size_bucket = CASE
  WHEN total_investment < 100000000 THEN 0
  WHEN total_investment < 500000000 THEN 1
  WHEN total_investment < 1000000000 THEN 2
  WHEN total_investment < 2000000000 THEN 3
  WHEN total_investment < 5000000000 THEN 4
  WHEN total_investment < 10000000000 THEN 5
  ELSE 6 END;

-- The first dates the project reached SIGNED, STARTED and IN_PRODUCTION ('' when not yet), as
-- its stage history gives them (effective dates never decrease along a history).
ALTER TABLE projects ADD COLUMN signed_date TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN started_date TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN in_production_date TEXT NOT NULL DEFAULT '';
UPDATE projects SET
  signed_date = COALESCE((SELECT MIN(s.effective_date) FROM stage_changes s
                          WHERE s.project_id = projects.id AND s.to_stage = 2), ''),
  started_date = COALESCE((SELECT MIN(s.effective_date) FROM stage_changes s
                           WHERE s.project_id = projects.id AND s.to_stage = 4), ''),
  in_production_date = COALESCE((SELECT MIN(s.effective_date) FROM stage_changes s
                                 WHERE s.project_id = projects.id AND s.to_stage = 5), '');

-- 1 once the project has a progress report.
ALTER TABLE projects ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;
UPDATE projects SET reported = 1
  WHERE EXISTS (SELECT 1 FROM progress_reports r WHERE r.project_id = projects.id);

-- The annual plan and planned start live only in the stored protobuf: rows written before this
-- migration are marked plan_pending and filled by the service at start (BackfillSummaryColumns);
-- until then a summary takes them the exact, slow way.
ALTER TABLE projects ADD COLUMN annual_planned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN planned_start_date TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN plan_pending INTEGER NOT NULL DEFAULT 1;
CREATE INDEX projects_plan_pending ON projects (id) WHERE plan_pending = 1;

CREATE INDEX projects_by_chain_bucket ON projects (chain_id, size_bucket, create_us, id);
CREATE INDEX projects_by_bucket ON projects (size_bucket, create_us, id);
-- Finds the few projects whose stage changed after a summary's date (usually none).
CREATE INDEX projects_by_chain_change ON projects (chain_id, last_change_date);
-- Covers the summary's scan of a chain: the unreported, filled-in projects come in the order of
-- its GROUP BY, so projects with the same facts are counted together without a sort; the
-- reported ones and those not yet filled in are a short range of their own.
CREATE INDEX projects_summary ON projects (chain_id, reported, plan_pending, stage, stalled_from,
  size_bucket, planned_start_date, signed_date, started_date, in_production_date,
  last_change_date, total_investment, annual_planned);
