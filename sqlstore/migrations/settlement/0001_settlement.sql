-- Verification and settlement of services (按劳定酬). Records are the
-- services capability's (service_records); this capability moves their
-- review_status, keeps the automatic flags, draws samples and closes
-- months per organisation. Money is integer fen.

-- The latest review of a record, and whether the automatic checks ran.
ALTER TABLE service_records ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE service_records ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE service_records ADD COLUMN reviewed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE service_records ADD COLUMN checked_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX service_records_unchecked ON service_records (checked_at, id);
CREATE INDEX service_records_plan ON service_records (plan_id, started_at);

-- Every review, in order: the history of a record's decisions.
CREATE TABLE service_reviews (
	id          AUTOID,
	record_id   BIGINT NOT NULL REFERENCES service_records (id),
	decision    TEXT NOT NULL,                -- accepted, rejected
	reason      TEXT NOT NULL DEFAULT '',
	sample_id   BIGINT,                       -- the sample it was drawn in, if any
	user_id     BIGINT NOT NULL,
	reviewer    TEXT NOT NULL,                -- display name
	at          BIGINT NOT NULL
);
CREATE INDEX service_reviews_record ON service_reviews (record_id, id);

-- Automatic flags: open until a review decides the record.
CREATE TABLE service_flags (
	id              AUTOID,
	record_id       BIGINT NOT NULL REFERENCES service_records (id),
	kind            TEXT NOT NULL,            -- settlement.Flag*
	other_record_id BIGINT NOT NULL DEFAULT 0,-- the record it clashes with, 0 if none
	explanation_zh  TEXT NOT NULL,
	explanation_en  TEXT NOT NULL,
	status          TEXT NOT NULL DEFAULT 'open', -- open, resolved
	created_at      BIGINT NOT NULL,
	resolved_by     TEXT NOT NULL DEFAULT '',
	resolved_at     BIGINT NOT NULL DEFAULT 0,
	UNIQUE (record_id, kind, other_record_id)
);
CREATE INDEX service_flags_open ON service_flags (status, record_id);

-- Samples drawn for verification; the seed draws the same sample again.
CREATE TABLE service_samples (
	id          AUTOID,
	place_code  TEXT NOT NULL REFERENCES places (code),
	month       TEXT NOT NULL,
	percent     INTEGER NOT NULL,
	seed        BIGINT NOT NULL,
	pool        INTEGER NOT NULL,             -- pending records it was drawn from
	drawn       INTEGER NOT NULL,
	user_id     BIGINT NOT NULL,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX service_samples_place ON service_samples (place_code, month);
CREATE TABLE service_sample_items (
	sample_id   BIGINT NOT NULL REFERENCES service_samples (id),
	record_id   BIGINT NOT NULL REFERENCES service_records (id),
	PRIMARY KEY (sample_id, record_id)
);

-- One row per organisation and month that anything touched: the row that
-- serialises recording, reviewing and approving of that month (each locks
-- it first), and says whether it is closed.
CREATE TABLE settlement_months (
	org_id      BIGINT NOT NULL REFERENCES service_orgs (id),
	month       TEXT NOT NULL,
	status      TEXT NOT NULL DEFAULT 'open', -- open, closed
	touches     BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (org_id, month)
);

-- An approved settlement: the totals when it was approved, kept as they were.
CREATE TABLE settlements (
	id              AUTOID,
	org_id          BIGINT NOT NULL REFERENCES service_orgs (id),
	month           TEXT NOT NULL,
	accepted        INTEGER NOT NULL,
	rejected        INTEGER NOT NULL,
	services_fen    BIGINT NOT NULL,
	adjustments_fen BIGINT NOT NULL,
	total_fen       BIGINT NOT NULL,
	approved_by     BIGINT NOT NULL,
	approver        TEXT NOT NULL,           -- display name
	approver_place  TEXT NOT NULL,
	approved_at     BIGINT NOT NULL,
	UNIQUE (org_id, month)
);

-- The lines of an approved settlement: per contract, worker, type and price.
CREATE TABLE settlement_lines (
	settlement_id BIGINT NOT NULL REFERENCES settlements (id),
	contract_id   BIGINT NOT NULL,
	worker_id     BIGINT NOT NULL,
	service_type  TEXT NOT NULL,
	price_fen     BIGINT NOT NULL,
	services      INTEGER NOT NULL,
	amount_fen    BIGINT NOT NULL,
	PRIMARY KEY (settlement_id, contract_id, worker_id, service_type, price_fen)
);
CREATE INDEX settlement_lines_contract ON settlement_lines (contract_id);

-- Corrections of a closed month, paid in a later open one.
CREATE TABLE settlement_adjustments (
	id           AUTOID,
	client_id    TEXT NOT NULL UNIQUE,
	org_id       BIGINT NOT NULL REFERENCES service_orgs (id),
	month        TEXT NOT NULL,               -- the month it is paid in
	about_month  TEXT NOT NULL,               -- the closed month it corrects
	contract_id  BIGINT NOT NULL REFERENCES service_contracts (id),
	worker_id    BIGINT,
	record_id    BIGINT,
	amount_fen   BIGINT NOT NULL,             -- negative to take back
	reason       TEXT NOT NULL,
	user_id      BIGINT NOT NULL,
	created_by   TEXT NOT NULL,               -- display name
	created_at   BIGINT NOT NULL
);
CREATE INDEX settlement_adjustments_org ON settlement_adjustments (org_id, month);
CREATE INDEX settlement_adjustments_contract ON settlement_adjustments (contract_id);
