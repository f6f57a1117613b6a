-- Department warnings (部门预警): the settings of warning rules (rules of
-- kind 'warning'), the warnings raised from department events, and the
-- log of events the warning rules failed on.

-- What a warning rule raises: the event types it applies to (also in
-- rules.measure, comma-separated), the urgency and kinds of the clue, and
-- the period within which a person warned once is not warned again.
CREATE TABLE warning_rule_settings (
	rule_id     BIGINT NOT NULL PRIMARY KEY REFERENCES rules (id),
	event_types TEXT NOT NULL,              -- comma-separated safetynet.EventTypes codes
	urgency     TEXT NOT NULL DEFAULT 'normal',
	clue_kinds  TEXT NOT NULL DEFAULT '',   -- comma-separated safetynet.ClueKinds; '' = from the event type
	period      TEXT NOT NULL DEFAULT 'year' -- year, month, event
);

-- A warning: one rule matched one event. subject is 'p<person id>' for a
-- registered person, else 'i<hex of the ID number's blind index>'; period
-- is the dedupe period's key ('2026', '2026-05', …) with '#n' appended
-- for a new crossing after an earlier warning closed with no risk.
CREATE TABLE warnings (
	id           AUTOID,
	rule_id      BIGINT NOT NULL REFERENCES rules (id),
	rule_version INTEGER NOT NULL,
	event_id     BIGINT NOT NULL,
	department   TEXT NOT NULL,
	batch_by     TEXT NOT NULL,             -- the account that pushed the event
	event_type   TEXT NOT NULL,
	event_date   TEXT NOT NULL,
	subject      TEXT NOT NULL,
	period       TEXT NOT NULL,
	person_id    BIGINT NOT NULL DEFAULT 0,
	household_id BIGINT NOT NULL DEFAULT 0,
	place_code   TEXT NOT NULL,             -- where the clue landed
	clue_id      BIGINT NOT NULL DEFAULT 0,
	explain_zh   TEXT NOT NULL DEFAULT '',
	explain_en   TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX warnings_once ON warnings (rule_id, subject, period);
CREATE INDEX warnings_place ON warnings (place_code, id);
CREATE INDEX warnings_department ON warnings (department, batch_by, id);
CREATE INDEX warnings_clue ON warnings (clue_id);
CREATE INDEX warnings_subject ON warnings (subject, rule_id);
CREATE INDEX warnings_event ON warnings (event_id);

-- Events a warning rule failed on (division by zero, cost limit, a
-- parameter without value…): kept here, never a warning.
CREATE TABLE warning_errors (
	id           AUTOID,
	event_id     BIGINT NOT NULL,
	rule_id      BIGINT NOT NULL,
	rule_version INTEGER NOT NULL,
	error_zh     TEXT NOT NULL,
	error_en     TEXT NOT NULL,
	at           BIGINT NOT NULL
);
CREATE INDEX warning_errors_event ON warning_errors (event_id);
