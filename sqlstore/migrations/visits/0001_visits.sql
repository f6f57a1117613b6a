-- Visits (走访): the key families village staff mark, who
-- visits which household (分包 / 三级遍访 / 邻里互助对子), the visits due
-- and the visits made. A due visit's deadline lives in the relay's
-- deadlines table with kind visit.due and item_id = the due visit, so an
-- overdue one escalates like a relay step.

-- The frequencies and must-visit times are the settings row "visits".

-- Key families (六帮六助重点家庭).
CREATE TABLE visit_marks (
	household_id BIGINT PRIMARY KEY REFERENCES households (id),
	place_code   TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	marked_by    TEXT NOT NULL,
	marked_at    BIGINT NOT NULL
);
CREATE INDEX visit_marks_place ON visit_marks (place_code);

-- Who visits a household: a cadre of the town or village, the grid
-- worker, or a neighbour (a volunteer user, or a named person with an
-- encrypted phone number).
CREATE TABLE visit_pairs (
	id           AUTOID,
	household_id BIGINT NOT NULL REFERENCES households (id),
	place_code   TEXT NOT NULL,
	level        TEXT NOT NULL,           -- town, village, grid, neighbour
	user_id      BIGINT NOT NULL DEFAULT 0,
	name         TEXT NOT NULL,           -- the user's display name or the neighbour's name
	phone_enc    BLOB,
	created_by   TEXT NOT NULL,
	created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX visit_pairs_one ON visit_pairs (household_id, level, user_id, name);
CREATE INDEX visit_pairs_user ON visit_pairs (user_id, household_id);

-- The local date of the last visit satisfying each need of a household.
CREATE TABLE visit_last (
	household_id BIGINT NOT NULL,
	need         TEXT NOT NULL,
	last_date    TEXT NOT NULL,
	PRIMARY KEY (household_id, need)
);

-- Visits due: by the plan (trigger_code '') one open per household and
-- need; must-visits one per occasion.
CREATE TABLE visit_due (
	id           AUTOID,
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	need         TEXT NOT NULL,
	trigger_code TEXT NOT NULL DEFAULT '',
	source_id    BIGINT NOT NULL DEFAULT 0, -- the clue of a must-visit
	due_date     TEXT NOT NULL,             -- local date
	due_at       BIGINT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'open', -- open, done, cancelled
	batch        TEXT NOT NULL DEFAULT '',
	created_at   BIGINT NOT NULL,
	done_at      BIGINT NOT NULL DEFAULT 0,
	visit_id     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX visit_due_planned ON visit_due (household_id, need) WHERE status = 'open' AND trigger_code = '';
CREATE INDEX visit_due_place ON visit_due (place_code, status, due_at);
CREATE INDEX visit_due_household ON visit_due (household_id, status);
CREATE INDEX visit_due_batch ON visit_due (batch);
CREATE INDEX visit_due_date ON visit_due (due_date, place_code);

-- Visits made.
CREATE TABLE visit_records (
	id           AUTOID,
	client_id    TEXT NOT NULL UNIQUE,    -- made on the phone: a resend is the same visit
	household_id BIGINT NOT NULL,
	place_code   TEXT NOT NULL,
	due_id       BIGINT NOT NULL DEFAULT 0,
	kind         TEXT NOT NULL,           -- home, call, passing
	result       TEXT NOT NULL,           -- fine, not_fine
	note         TEXT NOT NULL DEFAULT '',
	photo        BLOB,
	checklist    TEXT NOT NULL DEFAULT '',
	made_at      BIGINT NOT NULL,
	made_date    TEXT NOT NULL,
	visitor_id   BIGINT NOT NULL,
	visitor_name TEXT NOT NULL,
	visitor_level TEXT NOT NULL DEFAULT '', -- the visitor's pair level with the household, else ''
	created_at   BIGINT NOT NULL
);
CREATE INDEX visit_records_household ON visit_records (household_id, made_at);
CREATE INDEX visit_records_place ON visit_records (place_code, made_date);
CREATE INDEX visit_records_visitor ON visit_records (visitor_id, made_date);

-- Due visits' steps are found by their item.
CREATE INDEX deadlines_item ON deadlines (item_id, kind, status);
