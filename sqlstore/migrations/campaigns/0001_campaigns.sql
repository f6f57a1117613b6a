-- Campaigns (专项行动, seed 004): a county or town's plan with goals,
-- work items, units and dated stages; the villages' survey-and-register
-- lists (登记造册); activities; typical cases; concentrated screening
-- (集中排查). Progress and targets are computed from these records and
-- from the other modules' (visits, services, measures), never typed.
-- Dates are local (Asia/Shanghai) YYYY-MM-DD; times unix seconds.

-- Units (站所, 单位) that lead or cooperate on work items: a town's social
-- development office, its women's federation, a school. A unit belongs to
-- a county or town; its members are users, who get its reminders.
CREATE TABLE org_units (
	id         AUTOID,
	place_code TEXT NOT NULL REFERENCES places (code),
	name       TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	active     INTEGER NOT NULL DEFAULT 1,
	created_by TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_units_name ON org_units (place_code, name);

CREATE TABLE org_unit_members (
	unit_id BIGINT NOT NULL REFERENCES org_units (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (unit_id, user_id)
);

CREATE TABLE campaigns (
	id           AUTOID,
	client_id    TEXT NOT NULL UNIQUE,                    -- made by the form: a resend is the same campaign
	kind         TEXT NOT NULL,                           -- campaigns.Kinds
	title        TEXT NOT NULL,
	doc_no       TEXT NOT NULL DEFAULT '',                -- 文号, e.g. 瓜农领办发[2021]36号
	place_code   TEXT NOT NULL REFERENCES places (code),  -- the owning county or town; its villages implement
	starts_on    TEXT NOT NULL,
	ends_on      TEXT NOT NULL,
	aims         TEXT NOT NULL DEFAULT '',                -- 指导思想 and 工作目标 as text
	status       TEXT NOT NULL DEFAULT 'draft',           -- campaigns.Statuses
	copied_from  BIGINT NOT NULL DEFAULT 0,               -- the campaign this one was copied from (a template)
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	CHECK (starts_on <= ends_on)
);
CREATE INDEX campaigns_place ON campaigns (place_code, status, starts_on);

-- The implementing villages (实施单位: 各村), fixed when the campaign starts.
CREATE TABLE campaign_villages (
	campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
	village_code TEXT NOT NULL REFERENCES places (code),
	town_code    TEXT NOT NULL,                           -- the village's town, for the drill-down
	PRIMARY KEY (campaign_id, village_code)
);
CREATE INDEX campaign_villages_village ON campaign_villages (village_code, campaign_id);

-- Work items (重点工作内容), each for target groups (category codes).
CREATE TABLE campaign_items (
	id           AUTOID,
	campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
	seq          INTEGER NOT NULL,
	title        TEXT NOT NULL,
	groups       TEXT NOT NULL DEFAULT '',                -- person or household category codes, comma-separated
	description  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX campaign_items_seq ON campaign_items (campaign_id, seq);

-- The lead and cooperating units of a work item (campaigns.UnitRoles).
CREATE TABLE campaign_item_units (
	item_id BIGINT NOT NULL REFERENCES campaign_items (id),
	unit_id BIGINT NOT NULL REFERENCES org_units (id),
	role    TEXT NOT NULL,
	PRIMARY KEY (item_id, unit_id)
);

-- Goals with measurable targets, computed per village by their metric
-- (campaigns.Metrics) over the group (a category code) of the campaign's
-- villages; a share's target is in per mille (1000 = 100%).
CREATE TABLE campaign_goals (
	id          AUTOID,
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	item_id     BIGINT NOT NULL DEFAULT 0,                -- the work item it measures, 0 for the whole campaign
	seq         INTEGER NOT NULL,
	title       TEXT NOT NULL,
	metric      TEXT NOT NULL,
	group_code  TEXT NOT NULL DEFAULT '',
	measure     TEXT NOT NULL DEFAULT '',                 -- measure_share: the measure's code
	target      BIGINT NOT NULL
);
CREATE UNIQUE INDEX campaign_goals_seq ON campaign_goals (campaign_id, seq);

-- Stages (方法步骤) with their dates.
CREATE TABLE campaign_stages (
	id          AUTOID,
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	seq         INTEGER NOT NULL,
	kind        TEXT NOT NULL,                            -- campaigns.StageKinds
	title       TEXT NOT NULL,
	starts_on   TEXT NOT NULL,
	ends_on     TEXT NOT NULL,
	CHECK (starts_on <= ends_on)
);
CREATE UNIQUE INDEX campaign_stages_seq ON campaign_stages (campaign_id, seq);

-- A village's part in a stage: started when it first registers or records,
-- submitted once (with the counts it confirmed). Late is derived.
CREATE TABLE campaign_village_stages (
	id            AUTOID,
	campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
	stage_id      BIGINT NOT NULL REFERENCES campaign_stages (id),
	village_code  TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'not_started',    -- not_started, in_progress, submitted
	started_at    BIGINT NOT NULL DEFAULT 0,
	submitted_at  BIGINT NOT NULL DEFAULT 0,
	submitted_by  TEXT NOT NULL DEFAULT '',
	confirmed     TEXT NOT NULL DEFAULT '',                -- the counts per group the village confirmed, group=count,…
	note          TEXT NOT NULL DEFAULT '',
	version       INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX campaign_village_stages_key ON campaign_village_stages (stage_id, village_code);
CREATE INDEX campaign_village_stages_campaign ON campaign_village_stages (campaign_id, village_code);

-- The survey-and-register list (登记造册): a village's target-group
-- members, each linked to the register's person; removing ends the row.
CREATE TABLE campaign_members (
	id           AUTOID,
	campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
	village_code TEXT NOT NULL,
	group_code   TEXT NOT NULL,                           -- the person category (留守老人, 留守儿童, …)
	person_id    BIGINT NOT NULL REFERENCES persons (id),
	household_id BIGINT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	added_by     TEXT NOT NULL,
	added_at     BIGINT NOT NULL,
	removed_at   BIGINT NOT NULL DEFAULT 0,
	removed_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX campaign_members_village ON campaign_members (campaign_id, village_code, group_code);
CREATE INDEX campaign_members_person ON campaign_members (person_id);

-- Activities recorded against a work item (平安夜话: date, place,
-- participants). Visits and service records count when tagged with the
-- campaign (their campaign_id, below).
CREATE TABLE campaign_activities (
	id            AUTOID,
	client_id     TEXT NOT NULL UNIQUE,
	campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
	item_id       BIGINT NOT NULL REFERENCES campaign_items (id),
	village_code  TEXT NOT NULL,
	title         TEXT NOT NULL,
	held_on       TEXT NOT NULL,
	venue         TEXT NOT NULL DEFAULT '',
	participants  INTEGER NOT NULL DEFAULT 0,              -- person-times
	note          TEXT NOT NULL DEFAULT '',
	photo         BLOB,
	recorded_by   TEXT NOT NULL,
	recorded_at   BIGINT NOT NULL
);
CREATE INDEX campaign_activities_village ON campaign_activities (campaign_id, village_code, item_id);

-- The persons of the register who took part in an activity, when named.
CREATE TABLE campaign_activity_persons (
	activity_id BIGINT NOT NULL REFERENCES campaign_activities (id),
	person_id   BIGINT NOT NULL,
	PRIMARY KEY (activity_id, person_id)
);

-- Typical cases (典型案例) marked in the sum-up stage: a relay case or a
-- household, with a short text.
CREATE TABLE campaign_examples (
	id           AUTOID,
	campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
	case_id      BIGINT NOT NULL DEFAULT 0,
	household_id BIGINT NOT NULL DEFAULT 0,
	village_code TEXT NOT NULL,
	title        TEXT NOT NULL,
	text         TEXT NOT NULL,
	marked_by    TEXT NOT NULL,
	marked_at    BIGINT NOT NULL,
	removed_at   BIGINT NOT NULL DEFAULT 0,
	CHECK (case_id <> 0 OR household_id <> 0)
);
CREATE INDEX campaign_examples_campaign ON campaign_examples (campaign_id, village_code);

-- Concentrated screening (集中排查): one record per household screened by a
-- pair of screeners, with the previous 12 months' income; a household whose
-- screening suggests monitoring is handed to the inclusion flow
-- (monitoring_processes), its id kept here.
CREATE TABLE screening_records (
	id              AUTOID,
	client_id       TEXT NOT NULL UNIQUE,                 -- made on the phone: a resend is the same record
	campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
	household_id    BIGINT NOT NULL REFERENCES households (id),
	village_code    TEXT NOT NULL,
	place_code      TEXT NOT NULL,                        -- the household's place when screened
	screened_on     TEXT NOT NULL,
	screener1       BIGINT NOT NULL REFERENCES users (id),
	screener2       BIGINT NOT NULL REFERENCES users (id),
	members         INTEGER NOT NULL,
	income_fen      BIGINT NOT NULL,                      -- the household's income of the previous 12 months
	income_detail   TEXT NOT NULL DEFAULT '',             -- per source: wages=…,farming=…,transfers=…
	expenses_fen    BIGINT NOT NULL DEFAULT 0,            -- rigid expenses (medical, schooling) of the 12 months
	findings        TEXT NOT NULL DEFAULT '',             -- checklist codes, comma-separated
	note            TEXT NOT NULL DEFAULT '',
	suggests        INTEGER NOT NULL DEFAULT 0,           -- 1: the screening suggests monitoring
	process_id      BIGINT NOT NULL DEFAULT 0,            -- the monitoring process it was handed to
	recorded_by     TEXT NOT NULL,
	recorded_at     BIGINT NOT NULL,
	version         INTEGER NOT NULL DEFAULT 1,
	CHECK (screener1 <> screener2 AND income_fen >= 0 AND members > 0)
);
CREATE UNIQUE INDEX screening_records_household ON screening_records (campaign_id, household_id);
CREATE INDEX screening_records_village ON screening_records (campaign_id, village_code);

-- Visits and services done for a campaign count towards it.
ALTER TABLE visit_records ADD COLUMN campaign_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE service_records ADD COLUMN campaign_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX visit_records_campaign ON visit_records (campaign_id, place_code) WHERE campaign_id <> 0;
CREATE INDEX service_records_campaign ON service_records (campaign_id, place_code) WHERE campaign_id <> 0;
