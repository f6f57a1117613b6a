-- A department account's department (safetynet.Departments code); empty
-- for every other user.
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';

-- The column mapping of a department's spreadsheets, saved when a file is
-- uploaded and offered with its next file: feeds.Mapping as JSON.
CREATE TABLE feed_mappings (
	department  TEXT NOT NULL,
	county_code TEXT NOT NULL,
	mapping     TEXT NOT NULL,
	updated_by  TEXT NOT NULL,
	updated_at  BIGINT NOT NULL,
	PRIMARY KEY (department, county_code)
);

-- A department file uploaded on the 部门数据 page, kept until its columns
-- are mapped and it is pushed (batch_id then names the batch).
CREATE TABLE feed_uploads (
	id          AUTOID,
	department  TEXT NOT NULL,
	county_code TEXT NOT NULL,
	filename    TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	data        BLOB NOT NULL,
	batch_id    BIGINT NOT NULL DEFAULT 0,
	created_by  TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE INDEX feed_uploads_time ON feed_uploads (county_code, created_at);
