-- Department data (部门筛查预警): batches pushed by departments, a result
-- for every row, the events stored from the accepted rows, and the queue
-- of events the warning rules have not seen yet.

-- A batch is known by its department and the department's own batch key:
-- pushing it again changes nothing.
CREATE TABLE feed_batches (
	id          AUTOID,
	department  TEXT NOT NULL,             -- safetynet.Departments code
	batch_key   TEXT NOT NULL,             -- the department's batch id
	county_code TEXT NOT NULL,             -- the pushing account's county
	source      TEXT NOT NULL,             -- api, file
	filename    TEXT NOT NULL DEFAULT '',
	row_count   INTEGER NOT NULL DEFAULT 0,
	matched     INTEGER NOT NULL DEFAULT 0, -- rows matched to a registered person
	unregistered INTEGER NOT NULL DEFAULT 0, -- rows kept for a person not in the register
	rejected    INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT NOT NULL,             -- username of the account
	created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX feed_batches_key ON feed_batches (department, batch_key);
CREATE INDEX feed_batches_time ON feed_batches (department, created_at);

-- One result per row of a batch, in the batch's order.
CREATE TABLE feed_rows (
	batch_id   BIGINT NOT NULL REFERENCES feed_batches (id),
	row_no     INTEGER NOT NULL,           -- 1-based, as sent (file rows: the sheet's row number)
	row_key    TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,              -- matched, unregistered, rejected
	field      TEXT NOT NULL DEFAULT '',   -- the field a rejection is about
	reason_zh  TEXT NOT NULL DEFAULT '',
	reason_en  TEXT NOT NULL DEFAULT '',
	event_id   BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (batch_id, row_no)
);

-- An event from an accepted row. person_id and household_id are 0 for a
-- person not in the register; place_code is then the best place known
-- (the village or town named by the department's address, else the
-- county of the ID number's region, else the batch's county), with
-- place_exact 0. fields holds the type's fields as a JSON object (yuan
-- amounts as integer fen, dates as 'YYYY-MM-DD'). The ID number is
-- stored like the register's: encrypted, with the keyed blind index.
CREATE TABLE feed_events (
	id           AUTOID,
	batch_id     BIGINT NOT NULL REFERENCES feed_batches (id),
	department   TEXT NOT NULL,
	row_key      TEXT NOT NULL,
	event_type   TEXT NOT NULL,            -- safetynet.EventTypes code
	event_date   TEXT NOT NULL,            -- 'YYYY-MM-DD'
	person_id    BIGINT NOT NULL DEFAULT 0,
	household_id BIGINT NOT NULL DEFAULT 0,
	place_code   TEXT NOT NULL,
	place_exact  INTEGER NOT NULL DEFAULT 1,
	id_enc       BLOB,
	id_idx       BLOB,
	name         TEXT NOT NULL DEFAULT '',
	address      TEXT NOT NULL DEFAULT '',
	fields       TEXT NOT NULL DEFAULT '{}',
	created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX feed_events_row ON feed_events (batch_id, row_key);
CREATE INDEX feed_events_person ON feed_events (person_id, event_type, event_date);
CREATE INDEX feed_events_idx ON feed_events (id_idx, event_type, event_date);
CREATE INDEX feed_events_place ON feed_events (place_code, id);

-- Events the warning rules have not evaluated yet, written in the same
-- transaction as the event.
CREATE TABLE warning_queue (
	event_id  BIGINT NOT NULL PRIMARY KEY,
	queued_at BIGINT NOT NULL
);
