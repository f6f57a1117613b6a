-- Places: the division hierarchy with groups and grids below villages.
CREATE TABLE places (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	level       TEXT NOT NULL,
	parent_code TEXT REFERENCES places (code),
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX places_parent ON places (parent_code, code);
CREATE INDEX places_name ON places (name);

-- place_tree is the closure of the hierarchy: one row per (ancestor,
-- descendant) pair including each place with itself at depth 0. Scope
-- checks are a lookup here.
CREATE TABLE place_tree (
	ancestor   TEXT NOT NULL REFERENCES places (code),
	descendant TEXT NOT NULL REFERENCES places (code),
	depth      INTEGER NOT NULL,
	PRIMARY KEY (ancestor, descendant)
);
CREATE INDEX place_tree_descendant ON place_tree (descendant, depth);

INSERT INTO places (code, name, level, parent_code, version, created_at, updated_at)
VALUES ('0', '全国', 'country', NULL, 1, 0, 0);
INSERT INTO place_tree (ancestor, descendant, depth) VALUES ('0', '0', 0);

CREATE TABLE users (
	id                   AUTOID,
	username             TEXT NOT NULL UNIQUE,
	display_name         TEXT NOT NULL DEFAULT '',
	role                 TEXT NOT NULL,
	place_code           TEXT NOT NULL REFERENCES places (code),
	password_hash        TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled             INTEGER NOT NULL DEFAULT 0,
	version              INTEGER NOT NULL DEFAULT 1,
	created_at           BIGINT NOT NULL,
	updated_at           BIGINT NOT NULL,
	last_login_at        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX users_place ON users (place_code);

-- Sessions of the web UI (kind 'web') and API tokens (kind 'api'). Only a
-- SHA-256 of the token is stored.
CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	kind         TEXT NOT NULL,
	created_at   BIGINT NOT NULL,
	expires_at   BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Failed logins, counted per username and per address to throttle guessing
-- across every server process.
CREATE TABLE login_failures (
	id       AUTOID,
	username TEXT NOT NULL,
	ip       TEXT NOT NULL,
	at       BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- The audit log is append-only: triggers in the dialect files refuse
-- UPDATE and DELETE.
CREATE TABLE audit_log (
	id          AUTOID,
	at          BIGINT NOT NULL,
	user_id     BIGINT NOT NULL DEFAULT 0,
	username    TEXT NOT NULL,
	role        TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	place_code  TEXT NOT NULL DEFAULT '',
	ip          TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_place ON audit_log (place_code, id);
CREATE INDEX audit_log_username ON audit_log (username, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);
