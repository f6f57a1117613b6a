-- The curtain pact (窗帘之约): an elderly person's daily sign of life
-- before a deadline, watched by a steward (红管家) and a ladder of backups.
-- A day's state is a row of pact_days (kept, missed, late, resolved) with
-- the step of the ladder alerted so far and when the next is due; the
-- sweep (SweepPacts) reads and moves them, so that nothing lives in memory.

CREATE TABLE pacts (
	id           AUTOID,
	person_id    BIGINT NOT NULL REFERENCES persons (id),
	place_code   TEXT NOT NULL REFERENCES places (code), -- the person's place
	steward_id   BIGINT NOT NULL REFERENCES users (id),
	deadline_min INTEGER NOT NULL DEFAULT 480,           -- minutes after local midnight
	zone         TEXT NOT NULL DEFAULT 'Asia/Shanghai',
	wait_min     INTEGER NOT NULL DEFAULT 30,
	ladder       TEXT NOT NULL DEFAULT 'steward,grid,village,town',
	rungs        INTEGER NOT NULL DEFAULT 4,
	token_hash   TEXT NOT NULL DEFAULT '',               -- SHA-256 of the person's page token; '' when revoked
	last_day     TEXT NOT NULL DEFAULT '',               -- the latest local day with a row in pact_days (sign or miss)
	status       TEXT NOT NULL DEFAULT 'active',         -- active, ended
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE INDEX pacts_place ON pacts (place_code, status);
CREATE INDEX pacts_steward ON pacts (steward_id, status);
CREATE INDEX pacts_token ON pacts (token_hash);
-- The sweep's candidates: active pacts of a clock whose day has no row yet.
CREATE INDEX pacts_clock ON pacts (status, zone, deadline_min, last_day);

-- The ladder of a pact with the place each step's users answer for.
CREATE TABLE pact_rungs (
	pact_id     BIGINT NOT NULL REFERENCES pacts (id),
	rung        INTEGER NOT NULL,
	kind        TEXT NOT NULL,                -- steward, grid, village, town
	owner_place TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (pact_id, rung)
);

CREATE TABLE pact_away (
	id         AUTOID,
	pact_id    BIGINT NOT NULL REFERENCES pacts (id),
	from_day   TEXT NOT NULL,
	to_day     TEXT NOT NULL,
	reason     TEXT NOT NULL,                 -- children, hospital, other
	created_by TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX pact_away_pact ON pact_away (pact_id, to_day);

CREATE TABLE pact_days (
	id           AUTOID,
	pact_id      BIGINT NOT NULL REFERENCES pacts (id),
	day          TEXT NOT NULL,               -- local date of the place
	place_code   TEXT NOT NULL,
	status       TEXT NOT NULL,               -- kept, missed, late (sign after the alert), resolved
	due_at       BIGINT NOT NULL,
	sign_at      BIGINT NOT NULL DEFAULT 0,
	sign_source  TEXT NOT NULL DEFAULT '',    -- round, self, device
	rung         INTEGER NOT NULL DEFAULT -1, -- the step alerted last
	next_at      BIGINT NOT NULL DEFAULT 0,   -- when the next step is due
	sweep        TEXT NOT NULL DEFAULT '',    -- the sweep that alerted last
	ack_by       BIGINT NOT NULL DEFAULT 0,
	ack_at       BIGINT NOT NULL DEFAULT 0,
	finding      TEXT NOT NULL DEFAULT '',
	finding_note TEXT NOT NULL DEFAULT '',
	finding_by   BIGINT NOT NULL DEFAULT 0,
	finding_at   BIGINT NOT NULL DEFAULT 0,
	UNIQUE (pact_id, day)
);
CREATE INDEX pact_days_open ON pact_days (status, next_at);
CREATE INDEX pact_days_place ON pact_days (place_code, day);
CREATE INDEX pact_days_sweep ON pact_days (sweep);

-- One row per alert sent: the key makes a second alert of the same step
-- on the same day impossible.
CREATE TABLE pact_alerts (
	pact_day_id BIGINT NOT NULL,
	rung        INTEGER NOT NULL,
	at          BIGINT NOT NULL,
	PRIMARY KEY (pact_day_id, rung)
);

CREATE TABLE pact_devices (
	device     TEXT PRIMARY KEY,
	pact_id    BIGINT NOT NULL REFERENCES pacts (id),
	kind       TEXT NOT NULL,                 -- water, door, plug
	secret     TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX pact_devices_pact ON pact_devices (pact_id);

-- Signatures seen within the replay window: a replay is refused.
CREATE TABLE pact_signals (
	device    TEXT NOT NULL,
	signature TEXT NOT NULL,
	at        BIGINT NOT NULL,
	PRIMARY KEY (device, signature)
);
