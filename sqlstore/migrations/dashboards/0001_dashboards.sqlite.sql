-- dash_categories follows every write of assignments.
CREATE TRIGGER dash_assignments_insert AFTER INSERT ON assignments WHEN NEW.end_date = ''
BEGIN
	INSERT OR IGNORE INTO dash_categories (place_code, category, n) VALUES (NEW.place_code, NEW.category, 0);
	UPDATE dash_categories SET n = n + 1 WHERE place_code = NEW.place_code AND category = NEW.category;
END;
CREATE TRIGGER dash_assignments_update_old AFTER UPDATE ON assignments WHEN OLD.end_date = ''
BEGIN
	UPDATE dash_categories SET n = n - 1 WHERE place_code = OLD.place_code AND category = OLD.category;
END;
CREATE TRIGGER dash_assignments_update_new AFTER UPDATE ON assignments WHEN NEW.end_date = ''
BEGIN
	INSERT OR IGNORE INTO dash_categories (place_code, category, n) VALUES (NEW.place_code, NEW.category, 0);
	UPDATE dash_categories SET n = n + 1 WHERE place_code = NEW.place_code AND category = NEW.category;
END;
CREATE TRIGGER dash_assignments_delete AFTER DELETE ON assignments WHEN OLD.end_date = ''
BEGIN
	UPDATE dash_categories SET n = n - 1 WHERE place_code = OLD.place_code AND category = OLD.category;
END;
