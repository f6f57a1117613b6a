-- Rules (政策找人): eligibility and exit rules of measures in CEL, their
-- published versions, parameters per county and year, screening results,
-- the 应享未享 / 应退未退 lists, dismissals, outreach tasks and the queue of
-- households to re-screen.

CREATE TABLE rules (
	id           AUTOID,
	name         TEXT NOT NULL,
	measure      TEXT NOT NULL,
	kind         TEXT NOT NULL,            -- eligibility, exit
	place_code   TEXT NOT NULL REFERENCES places (code), -- county or town
	valid_from   TEXT NOT NULL DEFAULT '',
	valid_to     TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,            -- draft, published, retired
	source       TEXT NOT NULL,            -- the draft's text
	examples     TEXT NOT NULL DEFAULT '[]',
	published    INTEGER NOT NULL DEFAULT 0, -- current published version number
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_by   TEXT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE INDEX rules_place ON rules (place_code, status);

-- Published versions are never changed.
CREATE TABLE rule_versions (
	rule_id      BIGINT NOT NULL REFERENCES rules (id),
	number       INTEGER NOT NULL,
	source       TEXT NOT NULL,
	examples     TEXT NOT NULL DEFAULT '[]',
	published_at BIGINT NOT NULL,
	published_by TEXT NOT NULL,
	PRIMARY KEY (rule_id, number)
);

CREATE TABLE rule_params (
	name         TEXT NOT NULL,
	county_code  TEXT NOT NULL REFERENCES places (code),
	year         INTEGER NOT NULL,
	type         TEXT NOT NULL,
	value        TEXT NOT NULL,
	updated_by   TEXT NOT NULL,
	updated_at   BIGINT NOT NULL,
	PRIMARY KEY (county_code, year, name)
);

-- The latest answer of each rule version for each household; history of
-- changes goes to rule_history.
CREATE TABLE rule_results (
	household_id BIGINT NOT NULL,
	rule_id      BIGINT NOT NULL,
	rule_version INTEGER NOT NULL,
	matched      INTEGER NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	explain_zh   TEXT NOT NULL DEFAULT '',
	explain_en   TEXT NOT NULL DEFAULT '',
	screened_at  BIGINT NOT NULL,
	PRIMARY KEY (household_id, rule_id)
);
CREATE INDEX rule_results_rule ON rule_results (rule_id, matched);

-- A household's rule history: a row whenever the answer of a rule version
-- changed for it.
CREATE TABLE rule_history (
	id           AUTOID,
	household_id BIGINT NOT NULL,
	rule_id      BIGINT NOT NULL,
	rule_version INTEGER NOT NULL,
	matched      INTEGER NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	explain_zh   TEXT NOT NULL DEFAULT '',
	explain_en   TEXT NOT NULL DEFAULT '',
	at           BIGINT NOT NULL
);
CREATE INDEX rule_history_household ON rule_history (household_id, id);

-- List lines: one per (household, list, measure). A line the data no
-- longer give is closed (active = 0); a dismissed line keeps the
-- fingerprint of the data it was dismissed on.
CREATE TABLE screening_lines (
	id            AUTOID,
	household_id  BIGINT NOT NULL,
	place_code    TEXT NOT NULL,
	list          TEXT NOT NULL,            -- eligible (应享未享), exit (应退未退)
	measure       TEXT NOT NULL,
	rule_id       BIGINT NOT NULL,
	rule_version  INTEGER NOT NULL,
	explain_zh    TEXT NOT NULL DEFAULT '',
	explain_en    TEXT NOT NULL DEFAULT '',
	active        INTEGER NOT NULL DEFAULT 1,
	status        TEXT NOT NULL DEFAULT 'open', -- open, dismissed, applied, followup
	fingerprint   TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	status_by     TEXT NOT NULL DEFAULT '',
	status_at     BIGINT NOT NULL DEFAULT 0,
	dismissed_fp  TEXT NOT NULL DEFAULT '',
	case_id       BIGINT NOT NULL DEFAULT 0,
	since         BIGINT NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1,
	UNIQUE (household_id, list, measure)
);
CREATE INDEX screening_lines_place ON screening_lines (place_code, active, list);

CREATE TABLE outreach_tasks (
	id           AUTOID,
	line_id      BIGINT NOT NULL UNIQUE,
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	owner_place  TEXT NOT NULL,              -- grid, else village
	measure      TEXT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'pending', -- pending, done
	told         INTEGER NOT NULL DEFAULT 0,
	wants_apply  INTEGER NOT NULL DEFAULT 0,
	note         TEXT NOT NULL DEFAULT '',
	told_at      BIGINT NOT NULL DEFAULT 0,
	told_by      TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX outreach_owner ON outreach_tasks (owner_place, status);

-- Households waiting to be screened again, queued in the transaction that
-- changed them.
CREATE TABLE screening_queue (
	household_id BIGINT NOT NULL PRIMARY KEY,
	queued_at    BIGINT NOT NULL
);
