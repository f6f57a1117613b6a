-- The relay from a clue to help: clues, verifications, cases, measures,
-- follow-ups, the deadlines that escalate, the inbox and the outbox.

CREATE TABLE clues (
	id              AUTOID,
	client_id       TEXT NOT NULL UNIQUE, -- made on the phone: a resend is the same clue
	source          TEXT NOT NULL,
	reporter_id     BIGINT NOT NULL,
	reporter_name   TEXT NOT NULL,
	household_id    BIGINT NOT NULL DEFAULT 0,
	person_id       BIGINT NOT NULL DEFAULT 0,
	subject_name    TEXT NOT NULL DEFAULT '',
	place_code      TEXT NOT NULL REFERENCES places (code),
	village_code    TEXT NOT NULL,
	kinds           TEXT NOT NULL,
	urgency         TEXT NOT NULL,
	note            TEXT NOT NULL DEFAULT '',
	photo           BLOB,
	reported_at     BIGINT NOT NULL,
	received_at     BIGINT NOT NULL,
	status          TEXT NOT NULL,
	acknowledged_at BIGINT NOT NULL DEFAULT 0,
	acknowledged_by TEXT NOT NULL DEFAULT '',
	verified_at     BIGINT NOT NULL DEFAULT 0,
	verified_by     TEXT NOT NULL DEFAULT '',
	closed_at       BIGINT NOT NULL DEFAULT 0,
	case_id         BIGINT NOT NULL DEFAULT 0,
	version         INTEGER NOT NULL DEFAULT 1,
	updated_at      BIGINT NOT NULL
);
CREATE INDEX clues_village ON clues (village_code, status, id);
CREATE INDEX clues_place ON clues (place_code, id);
CREATE INDEX clues_household ON clues (household_id, id);
CREATE INDEX clues_received ON clues (received_at);

CREATE TABLE verifications (
	id         AUTOID,
	clue_id    BIGINT NOT NULL REFERENCES clues (id),
	visited_at BIGINT NOT NULL,
	user_id    BIGINT NOT NULL,
	username   TEXT NOT NULL,
	checklist  TEXT NOT NULL,
	risks      TEXT NOT NULL DEFAULT '',
	decision   TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX verifications_clue ON verifications (clue_id);

CREATE TABLE cases (
	id             AUTOID,
	clue_id        BIGINT NOT NULL DEFAULT 0,
	household_id   BIGINT NOT NULL REFERENCES households (id),
	place_code     TEXT NOT NULL,
	village_code   TEXT NOT NULL,
	urgency        TEXT NOT NULL,
	risk_types     TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	opened_at      BIGINT NOT NULL,
	opened_by      TEXT NOT NULL,
	first_help_at  BIGINT NOT NULL DEFAULT 0,
	closed_at      BIGINT NOT NULL DEFAULT 0,
	closed_by      TEXT NOT NULL DEFAULT '',
	outcome        TEXT NOT NULL DEFAULT '',
	close_note     TEXT NOT NULL DEFAULT '',
	assignments    TEXT NOT NULL DEFAULT '', -- register assignments the case made, ended at closure
	reopened       INTEGER NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX cases_village ON cases (village_code, status, id);
CREATE INDEX cases_household ON cases (household_id, id);
CREATE INDEX cases_place ON cases (place_code, id);

-- Assistance measures that may be applied for, and who decides them.
CREATE TABLE measure_catalogue (
	code             TEXT PRIMARY KEY,
	zh               TEXT NOT NULL,
	en               TEXT NOT NULL,
	kind             TEXT NOT NULL,
	unit             TEXT NOT NULL,
	approval_level   TEXT NOT NULL,
	county_above_fen BIGINT NOT NULL DEFAULT 0,
	decision_days    INTEGER NOT NULL,
	active           INTEGER NOT NULL DEFAULT 1,
	position         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO measure_catalogue (code, zh, en, kind, unit, approval_level, county_above_fen, decision_days, position) VALUES
	('dibao', '最低生活保障', 'minimum living allowance (dibao)', 'cash', 'month', 'county', 0, 20, 1),
	('tekun', '特困人员供养', 'extreme-poverty support', 'cash', 'month', 'county', 0, 20, 2),
	('temporary', '临时救助', 'temporary assistance', 'cash', 'once', 'town', 500000, 5, 3),
	('medical', '医疗救助', 'medical assistance', 'medical', 'once', 'county', 0, 10, 4),
	('insurance', '惠民保', 'inclusive health insurance', 'insurance', 'year', 'town', 0, 10, 5),
	('disability', '残疾人两项补贴', 'the two disability subsidies', 'cash', 'month', 'county', 0, 15, 6),
	('yulu', '雨露计划', 'vocational education subsidy (Yulu)', 'education', 'year', 'county', 0, 15, 7),
	('microcredit', '小额信贷', 'microcredit', 'credit', 'once', 'county', 0, 15, 8),
	('public_job', '公益性岗位', 'public-welfare job', 'job', 'month', 'town', 0, 10, 9),
	('housing_repair', '住房修缮', 'housing repair', 'housing', 'once', 'town', 3000000, 15, 10),
	('service', '服务类救助', 'service assistance (care, meals, cleaning)', 'service', 'month', 'village', 0, 5, 11);

CREATE TABLE case_measures (
	id             AUTOID,
	case_id        BIGINT NOT NULL REFERENCES cases (id),
	kind           TEXT NOT NULL,          -- emergency or application
	measure        TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	provider       TEXT NOT NULL DEFAULT '',
	amount_fen     BIGINT NOT NULL DEFAULT 0,
	period_start   TEXT NOT NULL DEFAULT '',
	period_end     TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,          -- done, applied, approved, rejected, ended
	approval_level TEXT NOT NULL DEFAULT '',
	done_at        BIGINT NOT NULL DEFAULT 0,
	created_at     BIGINT NOT NULL,
	created_by     TEXT NOT NULL,
	decided_at     BIGINT NOT NULL DEFAULT 0,
	decided_by     TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_measures_case ON case_measures (case_id, id);

CREATE TABLE followups (
	id         AUTOID,
	case_id    BIGINT NOT NULL REFERENCES cases (id),
	due_date   TEXT NOT NULL,
	done_at    BIGINT NOT NULL DEFAULT 0,
	done_by    TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX followups_case ON followups (case_id, id);

-- Every step with an owner and a deadline. When a step is overdue the
-- sweep moves it one level up (grid → village → town → county), gives it
-- a new deadline and tells that level; sweep says which sweep moved it.
CREATE TABLE deadlines (
	id          AUTOID,
	kind        TEXT NOT NULL,              -- clue.acknowledge, clue.verify, case.help, application.decide, followup.visit
	clue_id     BIGINT NOT NULL DEFAULT 0,
	case_id     BIGINT NOT NULL DEFAULT 0,
	item_id     BIGINT NOT NULL DEFAULT 0,  -- the application or follow-up
	place_code  TEXT NOT NULL,
	level       TEXT NOT NULL,
	owner_place TEXT NOT NULL,
	due_at      BIGINT NOT NULL,
	interval_ms BIGINT NOT NULL,
	escalations INTEGER NOT NULL DEFAULT 0,
	status      TEXT NOT NULL DEFAULT 'open',
	created_at  BIGINT NOT NULL,
	done_at     BIGINT NOT NULL DEFAULT 0,
	sweep       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deadlines_due ON deadlines (status, due_at);
CREATE INDEX deadlines_owner ON deadlines (owner_place, status, due_at);
CREATE INDEX deadlines_clue ON deadlines (clue_id, status);
CREATE INDEX deadlines_case ON deadlines (case_id, status);
CREATE INDEX deadlines_sweep ON deadlines (sweep);

-- The in-app inbox: one row per user and message.
CREATE TABLE notifications (
	id         AUTOID,
	user_id    BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	kind       TEXT NOT NULL,
	detail     TEXT NOT NULL DEFAULT '{}',
	link       TEXT NOT NULL DEFAULT '',
	clue_id    BIGINT NOT NULL DEFAULT 0,
	case_id    BIGINT NOT NULL DEFAULT 0,
	read_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

-- Messages to external channels, delivered at least once with retries by
-- whichever server process claims them.
CREATE TABLE outbox (
	id              AUTOID,
	channel         TEXT NOT NULL,
	recipient       TEXT NOT NULL,
	subject         TEXT NOT NULL,
	body            TEXT NOT NULL,
	link            TEXT NOT NULL DEFAULT '',
	created_at      BIGINT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'pending',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     BIGINT NOT NULL DEFAULT 0,
	sent_at         BIGINT NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- The timeline of clues and cases.
CREATE TABLE work_events (
	id           AUTOID,
	at           BIGINT NOT NULL,
	clue_id      BIGINT NOT NULL DEFAULT 0,
	case_id      BIGINT NOT NULL DEFAULT 0,
	household_id BIGINT NOT NULL DEFAULT 0,
	place_code   TEXT NOT NULL,
	kind         TEXT NOT NULL,
	detail       TEXT NOT NULL DEFAULT '{}',
	user_id      BIGINT NOT NULL DEFAULT 0,
	username     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_events_clue ON work_events (clue_id, id);
CREATE INDEX work_events_case ON work_events (case_id, id);
