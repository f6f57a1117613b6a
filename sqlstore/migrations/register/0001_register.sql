-- The register: households (一户一表) and persons (一人一档).
-- ID and phone numbers are stored encrypted (*_enc, AES-GCM) with a keyed
-- blind index (*_idx, HMAC) for exact lookup and duplicate detection.
-- Dates without time are TEXT 'YYYY-MM-DD' ('' when unknown).
CREATE TABLE households (
	id             AUTOID,
	number         TEXT NOT NULL DEFAULT '',
	place_code     TEXT NOT NULL REFERENCES places (code),
	address        TEXT NOT NULL DEFAULT '',
	phone_enc      BLOB,
	phone_idx      BLOB,
	head_person_id BIGINT NOT NULL DEFAULT 0,
	member_count   INTEGER NOT NULL DEFAULT 0,
	income_year    INTEGER NOT NULL DEFAULT 0,
	income_fen     BIGINT NOT NULL DEFAULT 0,
	housing        TEXT NOT NULL DEFAULT '',
	water          TEXT NOT NULL DEFAULT '',
	notes          TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL DEFAULT 'active',
	merged_into    BIGINT NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX households_place ON households (place_code, id);
CREATE INDEX households_number ON households (number);
CREATE INDEX households_phone ON households (phone_idx);

CREATE TABLE persons (
	id               AUTOID,
	household_id     BIGINT NOT NULL REFERENCES households (id),
	place_code       TEXT NOT NULL,
	relation         TEXT NOT NULL DEFAULT '',
	name             TEXT NOT NULL,
	id_enc           BLOB,
	id_idx           BLOB,
	id_legacy        INTEGER NOT NULL DEFAULT 0,
	birth_date       TEXT NOT NULL DEFAULT '',
	sex              TEXT NOT NULL DEFAULT '',
	phone_enc        BLOB,
	phone_idx        BLOB,
	disability_kind  TEXT NOT NULL DEFAULT '',
	disability_grade INTEGER NOT NULL DEFAULT 0,
	health           TEXT NOT NULL DEFAULT '',
	health_notes     TEXT NOT NULL DEFAULT '',
	education        TEXT NOT NULL DEFAULT '',
	in_school        INTEGER NOT NULL DEFAULT 0,
	labour           TEXT NOT NULL DEFAULT '',
	work             TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL DEFAULT 'active',
	status_date      TEXT NOT NULL DEFAULT '',
	status_note      TEXT NOT NULL DEFAULT '',
	-- search_text is the name and address with Han characters spaced,
	-- indexed for full-text search by the dialect file.
	search_text      TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL DEFAULT 1,
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL
);
-- One person per ID number in the whole register: a second registration is
-- caught and shown for a decision, never merged silently.
CREATE UNIQUE INDEX persons_id_idx ON persons (id_idx);
CREATE INDEX persons_household ON persons (household_id);
CREATE INDEX persons_place ON persons (place_code, id);
CREATE INDEX persons_phone ON persons (phone_idx);
CREATE INDEX persons_name_birth ON persons (name, birth_date);

-- Which household a person belonged to, when, and with which relation.
CREATE TABLE memberships (
	id           AUTOID,
	person_id    BIGINT NOT NULL REFERENCES persons (id),
	household_id BIGINT NOT NULL REFERENCES households (id),
	relation     TEXT NOT NULL DEFAULT '',
	start_date   TEXT NOT NULL,
	end_date     TEXT NOT NULL DEFAULT '',
	end_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memberships_person ON memberships (person_id, id);
CREATE INDEX memberships_household ON memberships (household_id, id);

-- Categories held for a period; ended, never overwritten.
CREATE TABLE assignments (
	id           AUTOID,
	subject      TEXT NOT NULL,
	subject_id   BIGINT NOT NULL,
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	category     TEXT NOT NULL,
	risk_type    TEXT NOT NULL DEFAULT '',
	start_date   TEXT NOT NULL,
	start_reason TEXT NOT NULL DEFAULT '',
	end_date     TEXT NOT NULL DEFAULT '',
	end_reason   TEXT NOT NULL DEFAULT '',
	end_note     TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT 'manual',
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	ended_by     TEXT NOT NULL DEFAULT '',
	ended_at     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX assignments_subject ON assignments (subject, subject_id, id);
CREATE INDEX assignments_household ON assignments (household_id);
CREATE INDEX assignments_active ON assignments (category, end_date, place_code);

-- The story of households and persons, for their timelines.
CREATE TABLE events (
	id           AUTOID,
	at           BIGINT NOT NULL,
	household_id BIGINT NOT NULL DEFAULT 0,
	person_id    BIGINT NOT NULL DEFAULT 0,
	place_code   TEXT NOT NULL,
	kind         TEXT NOT NULL,
	detail       TEXT NOT NULL DEFAULT '{}',
	user_id      BIGINT NOT NULL DEFAULT 0,
	username     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_household ON events (household_id, id);
CREATE INDEX events_person ON events (person_id, id);

-- Pairs of persons that may be the same person, and the human decision.
CREATE TABLE duplicate_reviews (
	id          AUTOID,
	person_a    BIGINT NOT NULL,
	person_b    BIGINT NOT NULL,
	decision    TEXT NOT NULL,
	decided_by  TEXT NOT NULL,
	decided_at  BIGINT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	UNIQUE (person_a, person_b)
);

-- Ledger imports: the uploaded original is kept with its record.
CREATE TABLE imports (
	id          AUTOID,
	kind        TEXT NOT NULL,
	file_name   TEXT NOT NULL,
	file_sha256 TEXT NOT NULL,
	file_data   BLOB NOT NULL,
	place_code  TEXT NOT NULL,
	user_id     BIGINT NOT NULL,
	username    TEXT NOT NULL,
	status      TEXT NOT NULL,
	mapping     TEXT NOT NULL DEFAULT '{}',
	report      TEXT NOT NULL DEFAULT '{}',
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL,
	version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX imports_place ON imports (place_code, id);

-- Settings of the deployment, e.g. the ID of the field-encryption key, so
-- that a server started with the wrong key refuses to run.
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
