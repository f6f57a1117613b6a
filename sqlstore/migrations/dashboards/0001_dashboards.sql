-- The dashboards per level (数据看板) read every figure from the records
-- (see sqlstore/dashboard_figures.go). Two things make that fast on the
-- 1,000,000-person register with a year of activity:
--
-- 1. The register's categories held at a day: counting the assignments
--    in force reads every one of them (half a million on that register,
--    5 s on SQLite). dash_categories keeps the number of open assignments
--    (end_date '') per place and category, changed by triggers in the
--    transaction that writes the assignment, so it is never stale; the
--    count at a past day D is dash_categories minus the open ones started
--    after D plus those started by D that ended after D — the few changes
--    since D, found by the two indexes below.
-- 2. Covering indexes for the period's counts per place, so that they
--    read the index alone, not the rows.
CREATE TABLE dash_categories (
	place_code TEXT NOT NULL,
	category   TEXT NOT NULL,
	n          BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (place_code, category)
);
INSERT INTO dash_categories (place_code, category, n)
	SELECT place_code, category, COUNT(*) FROM assignments WHERE end_date = '' GROUP BY place_code, category;
CREATE INDEX dash_assignments_start ON assignments (start_date, place_code, category, end_date);
CREATE INDEX dash_assignments_end ON assignments (end_date, place_code, category, start_date) WHERE end_date <> '';

CREATE INDEX dash_clues ON clues (place_code, reported_at, source, household_id, case_id);
CREATE INDEX dash_pact_days ON pact_days (place_code, day, status);
CREATE INDEX dash_visit_records ON visit_records (place_code, made_date, household_id);
CREATE INDEX dash_service_records ON service_records (place_code, started_at, review_status, household_id);
CREATE INDEX dash_cases_closed ON cases (place_code, closed_at, status);

-- Statistics for the new indexes, so that the planner takes the changes
-- since a day by dash_assignments_start (a handful of rows) rather than
-- every open assignment of the subtree.
ANALYZE assignments;
ANALYZE clues;
ANALYZE pact_days;
ANALYZE visit_records;
ANALYZE service_records;
ANALYZE cases;
