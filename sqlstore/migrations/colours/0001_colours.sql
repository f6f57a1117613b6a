-- Risk colours (红黄绿) of monitored households: each county's red and
-- yellow rules with every published version, each monitored household's
-- colour with its reason, and the history of colour changes. A county
-- without a row in colour_rules uses the default rules (version 0).

CREATE TABLE colour_rules (
	place_code   TEXT PRIMARY KEY REFERENCES places (code), -- a county
	published    INTEGER NOT NULL,                          -- the version in force
	updated_at   BIGINT NOT NULL,
	updated_by   TEXT NOT NULL
);

CREATE TABLE colour_rule_versions (
	place_code   TEXT NOT NULL,
	number       INTEGER NOT NULL,
	red          TEXT NOT NULL,
	yellow       TEXT NOT NULL,
	published_at BIGINT NOT NULL,
	published_by TEXT NOT NULL,
	PRIMARY KEY (place_code, number)
);

CREATE TABLE household_colours (
	household_id BIGINT PRIMARY KEY REFERENCES households (id),
	place_code   TEXT NOT NULL,
	colour       TEXT NOT NULL,
	county       TEXT NOT NULL,
	rule_version INTEGER NOT NULL,
	explain_zh   TEXT NOT NULL,
	explain_en   TEXT NOT NULL,
	since        BIGINT NOT NULL, -- when it took this colour
	updated_at   BIGINT NOT NULL
);
CREATE INDEX household_colours_place ON household_colours (place_code, colour);

-- colour is '' when the household left monitoring.
CREATE TABLE colour_history (
	id           AUTOID,
	household_id BIGINT NOT NULL,
	at           BIGINT NOT NULL,
	colour       TEXT NOT NULL,
	previous     TEXT NOT NULL,
	rule_version INTEGER NOT NULL,
	explain_zh   TEXT NOT NULL,
	explain_en   TEXT NOT NULL
);
CREATE INDEX colour_history_household ON colour_history (household_id, id);
