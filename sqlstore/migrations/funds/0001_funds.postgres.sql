-- The ledger is append-only: the database itself refuses to change or
-- delete an entry (a correction is a reversal entry).
CREATE FUNCTION fund_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'fund_entries is append-only';
END $$;
CREATE TRIGGER fund_entries_no_change BEFORE UPDATE OR DELETE ON fund_entries
FOR EACH ROW EXECUTE FUNCTION fund_entries_append_only();
