-- Unannounced inspections (四不两直: no notice, no greeting, no briefing,
-- no escort; straight to the village, straight to the scene). An inspector
-- creates an inspection of a campaign or of routine work; the system draws
-- a random sample of villages and households from a seed (recorded, so the
-- draw can be repeated) that only the inspection's inspectors see until
-- it starts. Each sampled household gets a checklist; findings become
-- rectification items on the relay's clocks (deadlines kind
-- inspection.rectify, item_id the rectification); each village's score is
-- computed from its checks and findings, never typed.

CREATE TABLE inspections (
	id             AUTOID,
	client_id      TEXT NOT NULL UNIQUE,
	title          TEXT NOT NULL,
	campaign_id    BIGINT NOT NULL DEFAULT 0,               -- 0: routine work
	place_code     TEXT NOT NULL REFERENCES places (code),  -- the area sampled (a county or town)
	planned_on     TEXT NOT NULL,                           -- local date; secret like the sample
	villages_n     INTEGER NOT NULL,                        -- villages to draw
	households_n   INTEGER NOT NULL,                        -- households to draw per village
	sample_seed    BIGINT NOT NULL DEFAULT 0,               -- 0 until drawn
	status         TEXT NOT NULL DEFAULT 'draft',           -- draft, drawn, started, closed
	drawn_at       BIGINT NOT NULL DEFAULT 0,
	started_at     BIGINT NOT NULL DEFAULT 0,
	closed_at      BIGINT NOT NULL DEFAULT 0,
	created_by     TEXT NOT NULL,
	created_at     BIGINT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX inspections_place ON inspections (place_code, status);

-- The inspectors of an inspection: the only users who see it before it starts.
CREATE TABLE inspection_inspectors (
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	user_id       BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (inspection_id, user_id)
);

-- The sample: villages, then households within them, in draw order.
CREATE TABLE inspection_villages (
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	village_code  TEXT NOT NULL,
	seq           INTEGER NOT NULL,
	PRIMARY KEY (inspection_id, village_code)
);

CREATE TABLE inspection_households (
	id            AUTOID,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	village_code  TEXT NOT NULL,
	household_id  BIGINT NOT NULL REFERENCES households (id),
	seq           INTEGER NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending',          -- pending, checked, not_found
	UNIQUE (inspection_id, household_id)
);
CREATE INDEX inspection_households_village ON inspection_households (inspection_id, village_code, seq);

-- One checklist per sampled household: each item's answer (ok, problem,
-- not_applicable) and the household's own words; a resend is the same check.
CREATE TABLE inspection_checks (
	id                 AUTOID,
	client_id          TEXT NOT NULL UNIQUE,
	inspection_id      BIGINT NOT NULL REFERENCES inspections (id),
	sample_id          BIGINT NOT NULL REFERENCES inspection_households (id),
	household_id       BIGINT NOT NULL,
	village_code       TEXT NOT NULL,
	answers            TEXT NOT NULL,                       -- item=answer,… (inspections checklist codes)
	household_says     TEXT NOT NULL DEFAULT '',
	note               TEXT NOT NULL DEFAULT '',
	checked_by         TEXT NOT NULL,
	checked_at         BIGINT NOT NULL,
	UNIQUE (sample_id)
);
CREATE INDEX inspection_checks_village ON inspection_checks (inspection_id, village_code);

CREATE TABLE inspection_photos (
	id            AUTOID,
	check_id      BIGINT NOT NULL REFERENCES inspection_checks (id),
	content_type  TEXT NOT NULL,
	data          BLOB NOT NULL,
	taken_at      BIGINT NOT NULL
);
CREATE INDEX inspection_photos_check ON inspection_photos (check_id);

-- Rectification items (整改) raised from findings, each with a deadline on
-- the relay's clocks owned by the village, escalating when not rectified.
CREATE TABLE rectifications (
	id             AUTOID,
	inspection_id  BIGINT NOT NULL REFERENCES inspections (id),
	check_id       BIGINT NOT NULL DEFAULT 0,               -- the household check it came from, 0 for a village finding
	household_id   BIGINT NOT NULL DEFAULT 0,
	village_code   TEXT NOT NULL,
	item           TEXT NOT NULL,                           -- the checklist item found wanting
	finding        TEXT NOT NULL,
	due_on         TEXT NOT NULL,
	status         TEXT NOT NULL DEFAULT 'open',            -- open, reported, accepted, reopened
	report         TEXT NOT NULL DEFAULT '',                -- what the village did
	reported_by    TEXT NOT NULL DEFAULT '',
	reported_at    BIGINT NOT NULL DEFAULT 0,
	accepted_by    TEXT NOT NULL DEFAULT '',
	accepted_at    BIGINT NOT NULL DEFAULT 0,
	raised_by      TEXT NOT NULL,
	raised_at      BIGINT NOT NULL,
	version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rectifications_inspection ON rectifications (inspection_id, village_code);
CREATE INDEX rectifications_village ON rectifications (village_code, status);
