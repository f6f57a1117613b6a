-- dash_categories follows every write of assignments.
CREATE FUNCTION dash_assignments_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		IF OLD.end_date = '' THEN
			UPDATE dash_categories SET n = n - 1 WHERE place_code = OLD.place_code AND category = OLD.category;
		END IF;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		IF NEW.end_date = '' THEN
			INSERT INTO dash_categories (place_code, category, n) VALUES (NEW.place_code, NEW.category, 1)
				ON CONFLICT (place_code, category) DO UPDATE SET n = dash_categories.n + 1;
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER dash_assignments_count AFTER INSERT OR UPDATE OR DELETE ON assignments
FOR EACH ROW EXECUTE FUNCTION dash_assignments_count();
