-- Full-text search over persons.search_text (name and address, Han
-- characters spaced so that 2-character names match as phrases).
CREATE VIRTUAL TABLE person_fts USING fts5(search_text, content='persons', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
	INSERT INTO person_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
	INSERT INTO person_fts (person_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE OF search_text ON persons BEGIN
	INSERT INTO person_fts (person_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
	INSERT INTO person_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
