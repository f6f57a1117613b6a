-- Survival certification assistance (协助生存认证): which measures require
-- certification and how often, each recipient's due date, the assistance
-- recorded and the county's suspension reviews. Reminders live in the
-- relay's deadlines table with kind certification.due and item_id = the due.

CREATE TABLE certification_settings (
	measure    TEXT PRIMARY KEY,           -- a code of measure_catalogue
	months     INTEGER NOT NULL,           -- 12 yearly, 6 half-yearly, 3 quarterly
	active     INTEGER NOT NULL DEFAULT 1,
	version    INTEGER NOT NULL DEFAULT 1,
	updated_by TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO certification_settings (measure, months) VALUES ('dibao', 12), ('tekun', 6), ('disability', 12);

-- One line per recipient and measure: the cycle's start (the last
-- certification, or the start of the measure) and its due date.
CREATE TABLE certification_dues (
	id           AUTOID,
	person_id    BIGINT NOT NULL REFERENCES persons (id),
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	measure      TEXT NOT NULL,
	basis_date   TEXT NOT NULL,
	due_date     TEXT NOT NULL,
	last_done    TEXT NOT NULL DEFAULT '',
	active       INTEGER NOT NULL DEFAULT 1,  -- 0 once the measure is no longer in force
	review       TEXT NOT NULL DEFAULT '',    -- '', continue, suspend, restored
	review_note  TEXT NOT NULL DEFAULT '',
	reviewed_by  TEXT NOT NULL DEFAULT '',
	reviewed_at  BIGINT NOT NULL DEFAULT 0,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX certification_dues_person ON certification_dues (person_id, measure);
CREATE INDEX certification_dues_due ON certification_dues (due_date) WHERE active = 1;
CREATE INDEX certification_dues_place ON certification_dues (place_code, due_date) WHERE active = 1;

CREATE TABLE certification_records (
	id           AUTOID,
	client_id    TEXT NOT NULL UNIQUE,        -- made by the form or the phone: a resend is the same record
	due_id       BIGINT NOT NULL REFERENCES certification_dues (id),
	person_id    BIGINT NOT NULL,
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	measure      TEXT NOT NULL,
	method       TEXT NOT NULL,               -- face, home, data
	on_date      TEXT NOT NULL,
	due_date     TEXT NOT NULL,               -- the due date the record answered
	late         INTEGER NOT NULL DEFAULT 0,
	evidence     TEXT NOT NULL DEFAULT '',
	photo        BLOB,
	note         TEXT NOT NULL DEFAULT '',
	user_id      BIGINT NOT NULL,
	username     TEXT NOT NULL,
	display_name TEXT NOT NULL DEFAULT '',
	at           BIGINT NOT NULL
);
CREATE INDEX certification_records_due ON certification_records (due_id, id);
CREATE INDEX certification_records_place ON certification_records (place_code, on_date);

CREATE TABLE certification_reviews (
	id       AUTOID,
	due_id   BIGINT NOT NULL REFERENCES certification_dues (id),
	decision TEXT NOT NULL,
	note     TEXT NOT NULL DEFAULT '',
	username TEXT NOT NULL,
	at       BIGINT NOT NULL
);
CREATE INDEX certification_reviews_due ON certification_reviews (due_id, id);

CREATE INDEX deadlines_certification ON deadlines (item_id) WHERE kind = 'certification.due' AND status = 'open';
