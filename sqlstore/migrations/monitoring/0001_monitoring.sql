-- Monitoring (纳入监测, 风险消除): the processes that include a household
-- into monitoring or eliminate its risk, the steps recorded on them
-- (democratic review, public notice, town review, county confirmation),
-- and the income assessments that tell when a household looks ready for
-- elimination. Deadlines live in the relay's deadlines table with kinds
-- monitoring.<step> and item_id = the process.

CREATE TABLE monitoring_processes (
	id           AUTOID,
	kind         TEXT NOT NULL,               -- include, eliminate
	household_id BIGINT NOT NULL REFERENCES households (id),
	place_code   TEXT NOT NULL REFERENCES places (code),
	status       TEXT NOT NULL,               -- open, confirmed, rejected, withdrawn
	step         TEXT NOT NULL DEFAULT '',    -- review, notice, town, county, resubmit while open
	category     TEXT NOT NULL,               -- the monitored category proposed (or ended)
	risk_causes  TEXT NOT NULL DEFAULT '',    -- RiskTypes codes, comma-separated
	income_fen   BIGINT NOT NULL DEFAULT 0,   -- household income of the last 12 months
	members      INTEGER NOT NULL DEFAULT 1,
	origin       TEXT NOT NULL DEFAULT '',    -- clue, warning, application, screening, review
	clue_id      BIGINT NOT NULL DEFAULT 0,
	reason       TEXT NOT NULL DEFAULT '',
	returned     TEXT NOT NULL DEFAULT '',    -- the reason of the last return
	assignment_id BIGINT NOT NULL DEFAULT 0,  -- the register's category period created or ended
	proposed_at  BIGINT NOT NULL,
	due_at       BIGINT NOT NULL,             -- the whole identification's deadline
	ended_at     BIGINT NOT NULL DEFAULT 0,
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	updated_at   BIGINT NOT NULL
);
-- One process at a time per household: a double submission is refused.
CREATE UNIQUE INDEX monitoring_open_household ON monitoring_processes (household_id) WHERE status = 'open';
CREATE INDEX monitoring_place ON monitoring_processes (place_code, status);
CREATE INDEX monitoring_household ON monitoring_processes (household_id);

CREATE TABLE monitoring_records (
	id           AUTOID,
	process_id   BIGINT NOT NULL REFERENCES monitoring_processes (id),
	action       TEXT NOT NULL,               -- propose, review, notice, town, county, resubmit, withdraw
	passed       INTEGER NOT NULL DEFAULT 1,
	on_date      TEXT NOT NULL DEFAULT '',
	people_count INTEGER NOT NULL DEFAULT 0,
	people       TEXT NOT NULL DEFAULT '',
	notice_start TEXT NOT NULL DEFAULT '',
	notice_end   TEXT NOT NULL DEFAULT '',
	notice_where TEXT NOT NULL DEFAULT '',
	objection    TEXT NOT NULL DEFAULT '',
	upheld       INTEGER NOT NULL DEFAULT 0,
	note         TEXT NOT NULL DEFAULT '',
	username     TEXT NOT NULL,
	at           BIGINT NOT NULL
);
CREATE INDEX monitoring_records_process ON monitoring_records (process_id, id);

CREATE TABLE monitoring_assessments (
	id             AUTOID,
	household_id   BIGINT NOT NULL REFERENCES households (id),
	place_code     TEXT NOT NULL REFERENCES places (code),
	on_date        TEXT NOT NULL,
	income_fen     BIGINT NOT NULL,
	members        INTEGER NOT NULL,
	per_capita_fen BIGINT NOT NULL,
	source         TEXT NOT NULL,             -- include, eliminate, review
	process_id     BIGINT NOT NULL DEFAULT 0,
	note           TEXT NOT NULL DEFAULT '',
	username       TEXT NOT NULL,
	at             BIGINT NOT NULL
);
CREATE INDEX monitoring_assessments_household ON monitoring_assessments (household_id, on_date);

-- The monitored households of an area (the lists of 监测对象, ready and
-- overdue) are the active household assignments of the three monitored
-- categories.
CREATE INDEX monitoring_assignments_active ON assignments (category, place_code) WHERE end_date = '' AND subject = 'household';
