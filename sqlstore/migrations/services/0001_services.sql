-- Services bought from organisations (政府购买服务) and paid per verified
-- service (按劳定酬). An organisation (阳光社工) holds contracts with a town
-- or county: a period, a budget and a price per service type; a contract
-- covers named households and/or target groups (categories) within its
-- place. The organisation's workers (social workers, psychologists,
-- tutors, paid residents …) may have a login (users.id) and may be persons
-- of the register. Plans per household or person make the services due;
-- a record is a service done, with its evidence. Verification and
-- settlement (capability "settlement") read service_records and move
-- review_status; nothing here holds money as a float: amounts are fen.

CREATE TABLE service_orgs (
	id          AUTOID,
	name        TEXT NOT NULL,
	place_code  TEXT NOT NULL REFERENCES places (code), -- the town or county that registered it
	contact     TEXT NOT NULL DEFAULT '',
	phone_enc   BLOB,                                    -- encrypted like persons' phones
	note        TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'active',          -- active, ended
	version     INTEGER NOT NULL DEFAULT 1,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX service_orgs_place ON service_orgs (place_code, status);

CREATE TABLE service_contracts (
	id          AUTOID,
	org_id      BIGINT NOT NULL REFERENCES service_orgs (id),
	place_code  TEXT NOT NULL REFERENCES places (code), -- the buyer's place: the contract covers its subtree
	title       TEXT NOT NULL,
	doc_no      TEXT NOT NULL DEFAULT '',
	starts_on   TEXT NOT NULL,                           -- local dates, YYYY-MM-DD
	ends_on     TEXT NOT NULL,
	budget_fen  BIGINT NOT NULL,
	status      TEXT NOT NULL DEFAULT 'active',          -- active, ended
	version     INTEGER NOT NULL DEFAULT 1,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX service_contracts_org ON service_contracts (org_id, status);
CREATE INDEX service_contracts_place ON service_contracts (place_code, status);

-- The price of each service type under a contract.
CREATE TABLE service_prices (
	contract_id  BIGINT NOT NULL REFERENCES service_contracts (id),
	service_type TEXT NOT NULL,                          -- services.Type
	price_fen    BIGINT NOT NULL,
	PRIMARY KEY (contract_id, service_type)
);

-- What a contract covers: a named household, or every household of a
-- target group (category code) within place_code's subtree.
CREATE TABLE service_coverage (
	id           AUTOID,
	contract_id  BIGINT NOT NULL REFERENCES service_contracts (id),
	household_id BIGINT REFERENCES households (id),
	category     TEXT NOT NULL DEFAULT '',
	place_code   TEXT NOT NULL REFERENCES places (code)
);
CREATE INDEX service_coverage_contract ON service_coverage (contract_id);
CREATE INDEX service_coverage_household ON service_coverage (household_id);

CREATE TABLE service_workers (
	id          AUTOID,
	org_id      BIGINT NOT NULL REFERENCES service_orgs (id),
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,                           -- services.WorkerKind
	certified   INTEGER NOT NULL DEFAULT 0,              -- a certified social worker (持证社工)
	user_id     BIGINT REFERENCES users (id),            -- the worker's login, if any
	person_id   BIGINT REFERENCES persons (id),          -- the worker as a resident of the register, if so
	status      TEXT NOT NULL DEFAULT 'active',          -- active, left
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX service_workers_org ON service_workers (org_id, status);
CREATE UNIQUE INDEX service_workers_user ON service_workers (user_id);

CREATE TABLE service_plans (
	id           AUTOID,
	contract_id  BIGINT NOT NULL REFERENCES service_contracts (id),
	household_id BIGINT NOT NULL REFERENCES households (id),
	person_id    BIGINT REFERENCES persons (id),         -- the person served, when the plan is for one
	place_code   TEXT NOT NULL,                          -- the household's place when planned
	service_type TEXT NOT NULL,
	frequency    TEXT NOT NULL,                          -- services.Frequency
	worker_id    BIGINT REFERENCES service_workers (id), -- the usual provider
	starts_on    TEXT NOT NULL,
	ends_on      TEXT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'active',         -- active, ended
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL
);
CREATE INDEX service_plans_contract ON service_plans (contract_id, status);
CREATE INDEX service_plans_household ON service_plans (household_id, status);

-- A 1+5+N team around a child (or any person): named roles, each a worker.
CREATE TABLE service_team_members (
	id           AUTOID,
	person_id    BIGINT NOT NULL REFERENCES persons (id),
	contract_id  BIGINT NOT NULL REFERENCES service_contracts (id),
	role         TEXT NOT NULL,                          -- services.TeamRole
	worker_id    BIGINT NOT NULL REFERENCES service_workers (id),
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	UNIQUE (person_id, role, worker_id)
);

-- The services a plan makes due, one per plan and period start.
CREATE TABLE service_dues (
	id           AUTOID,
	plan_id      BIGINT NOT NULL REFERENCES service_plans (id),
	due_on       TEXT NOT NULL,                          -- first local day of the period
	until_on     TEXT NOT NULL,                          -- last local day of the period
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	worker_id    BIGINT,
	status       TEXT NOT NULL DEFAULT 'open',           -- open, done, missed
	record_id    BIGINT,
	UNIQUE (plan_id, due_on)
);
CREATE INDEX service_dues_worker ON service_dues (worker_id, status, due_on);
CREATE INDEX service_dues_place ON service_dues (place_code, status, due_on);

-- The code a household holds to confirm a service (stored as a hash).
CREATE TABLE service_household_codes (
	household_id BIGINT PRIMARY KEY REFERENCES households (id),
	code_hash    TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL
);

CREATE TABLE service_records (
	id            AUTOID,
	client_id     TEXT NOT NULL UNIQUE,                  -- made on the phone: a resend is the same record
	contract_id   BIGINT NOT NULL REFERENCES service_contracts (id),
	org_id        BIGINT NOT NULL REFERENCES service_orgs (id),
	plan_id       BIGINT,
	due_id        BIGINT,
	worker_id     BIGINT NOT NULL REFERENCES service_workers (id),
	household_id  BIGINT NOT NULL REFERENCES households (id),
	person_id     BIGINT,
	place_code    TEXT NOT NULL,                         -- the household's place when done
	service_type  TEXT NOT NULL,
	started_at    BIGINT NOT NULL,                       -- unix seconds
	ended_at      BIGINT NOT NULL,
	month         TEXT NOT NULL,                         -- local YYYY-MM of started_at: the settlement month
	lat_e6        BIGINT,                                -- the phone's location in micro-degrees, if allowed
	lon_e6        BIGINT,
	accuracy_m    INTEGER,
	confirm_kind  TEXT NOT NULL DEFAULT '',              -- signature, code, '' (none)
	price_fen     BIGINT NOT NULL,                       -- the contract's price when recorded
	note          TEXT NOT NULL DEFAULT '',
	review_status TEXT NOT NULL DEFAULT 'pending',       -- pending, accepted, rejected (moved by settlement)
	flags         INTEGER NOT NULL DEFAULT 0,            -- open automatic flags (kept by settlement)
	recorded_by   TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_records_month ON service_records (org_id, month, review_status);
CREATE INDEX service_records_worker ON service_records (worker_id, started_at);
CREATE INDEX service_records_household ON service_records (household_id, started_at);
CREATE INDEX service_records_place ON service_records (place_code, month);

-- Photos and drawn signatures of a record; sha256 finds a photo used twice.
CREATE TABLE service_evidence (
	id          AUTOID,
	record_id   BIGINT NOT NULL REFERENCES service_records (id),
	kind        TEXT NOT NULL,                           -- photo, signature
	mime        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	size        INTEGER NOT NULL,
	data        BLOB NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX service_evidence_record ON service_evidence (record_id);
CREATE INDEX service_evidence_hash ON service_evidence (sha256);
