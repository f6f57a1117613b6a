-- Volunteer relays (接龙): a village opens a relay for a household, with
-- tasks whose slots volunteers and neighbours take first-come. A slot's
-- `taken` counts its places in use; taking is a conditional UPDATE
-- (taken < capacity) and the place a row of volunteer_takes whose
-- UNIQUE (slot_id, seat) makes a place impossible to give twice, on
-- SQLite and PostgreSQL alike. Deadlines are columns swept by the jobs
-- loop: reminded_at of a take, empty_alerted_at of a slot, each set by a
-- conditional UPDATE so that a reminder or an alert goes out once.

CREATE TABLE volunteer_relays (
	id           AUTOID,
	client_id    TEXT NOT NULL,
	title        TEXT NOT NULL,
	household_id BIGINT NOT NULL REFERENCES households (id),
	person_id    BIGINT NOT NULL DEFAULT 0,
	case_id      BIGINT NOT NULL DEFAULT 0,
	place_code   TEXT NOT NULL REFERENCES places (code), -- the household's place
	village_code TEXT NOT NULL,                          -- the village that runs it and is alerted
	short_name   TEXT NOT NULL,                          -- how takers call the person: 宇奶奶
	address      TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	token_hash   TEXT NOT NULL DEFAULT '',               -- SHA-256 of the sign-up link's token; '' when none
	status       TEXT NOT NULL DEFAULT 'open',           -- open, closed
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	UNIQUE (client_id)
);
CREATE INDEX volunteer_relays_village ON volunteer_relays (village_code, status, id);
CREATE INDEX volunteer_relays_case ON volunteer_relays (case_id);
CREATE INDEX volunteer_relays_token ON volunteer_relays (token_hash);

CREATE TABLE volunteer_tasks (
	id       AUTOID,
	relay_id BIGINT NOT NULL REFERENCES volunteer_relays (id),
	position INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	title    TEXT NOT NULL,
	bring    TEXT NOT NULL DEFAULT '',
	address  TEXT NOT NULL,
	from_day TEXT NOT NULL,
	to_day   TEXT NOT NULL,
	windows  TEXT NOT NULL,               -- 11:00-12:00,17:00-18:00
	per_slot INTEGER NOT NULL
);
CREATE INDEX volunteer_tasks_relay ON volunteer_tasks (relay_id, position);

CREATE TABLE volunteer_slots (
	id               AUTOID,
	relay_id         BIGINT NOT NULL REFERENCES volunteer_relays (id),
	task_id          BIGINT NOT NULL REFERENCES volunteer_tasks (id),
	village_code     TEXT NOT NULL,
	starts_at        BIGINT NOT NULL,
	ends_at          BIGINT NOT NULL,
	capacity         INTEGER NOT NULL,
	taken            INTEGER NOT NULL DEFAULT 0,
	done             INTEGER NOT NULL DEFAULT 0,
	empty_alerted_at BIGINT NOT NULL DEFAULT 0,
	CHECK (taken >= 0 AND taken <= capacity),
	UNIQUE (task_id, starts_at)
);
CREATE INDEX volunteer_slots_relay ON volunteer_slots (relay_id, starts_at);
CREATE INDEX volunteer_slots_empty ON volunteer_slots (empty_alerted_at, starts_at);

-- Volunteers: users with a login (user_id) and neighbours who signed up by
-- a relay's link (name and phone, the phone sealed like persons').
CREATE TABLE volunteers (
	id         AUTOID,
	user_id    BIGINT UNIQUE REFERENCES users (id),
	name       TEXT NOT NULL,
	phone_enc  BLOB,
	phone_idx  BLOB,
	place_code TEXT NOT NULL,             -- the user's place, or the village of the relay signed up for
	created_at BIGINT NOT NULL
);
CREATE INDEX volunteers_phone ON volunteers (phone_idx);

-- A neighbour's device: the SHA-256 of the token kept in its cookie.
CREATE TABLE volunteer_devices (
	token_hash   TEXT PRIMARY KEY,
	volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
	created_at   BIGINT NOT NULL
);

CREATE TABLE volunteer_takes (
	id           AUTOID,
	slot_id      BIGINT NOT NULL REFERENCES volunteer_slots (id),
	seat         INTEGER NOT NULL,
	volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
	relay_id     BIGINT NOT NULL,
	village_code TEXT NOT NULL,
	starts_at    BIGINT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'taken', -- taken, done
	note         TEXT NOT NULL DEFAULT '',
	minutes      INTEGER NOT NULL DEFAULT 0,
	taken_at     BIGINT NOT NULL,
	done_at      BIGINT NOT NULL DEFAULT 0,
	reminded_at  BIGINT NOT NULL DEFAULT 0,
	UNIQUE (slot_id, seat),
	UNIQUE (slot_id, volunteer_id)
);
CREATE INDEX volunteer_takes_volunteer ON volunteer_takes (volunteer_id, starts_at);
CREATE INDEX volunteer_takes_remind ON volunteer_takes (reminded_at, status, starts_at);
CREATE INDEX volunteer_takes_village ON volunteer_takes (village_code, status, starts_at);

-- Places given back, for the record.
CREATE TABLE volunteer_returns (
	slot_id      BIGINT NOT NULL,
	volunteer_id BIGINT NOT NULL,
	taken_at     BIGINT NOT NULL,
	returned_at  BIGINT NOT NULL
);
CREATE INDEX volunteer_returns_slot ON volunteer_returns (slot_id);

CREATE TABLE volunteer_teams (
	id         AUTOID,
	name       TEXT NOT NULL,
	place_code TEXT NOT NULL REFERENCES places (code),
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (place_code, name)
);

CREATE TABLE volunteer_team_members (
	team_id      BIGINT NOT NULL REFERENCES volunteer_teams (id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers (id),
	PRIMARY KEY (team_id, volunteer_id)
);
CREATE INDEX volunteer_team_members_volunteer ON volunteer_team_members (volunteer_id);
