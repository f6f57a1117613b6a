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
