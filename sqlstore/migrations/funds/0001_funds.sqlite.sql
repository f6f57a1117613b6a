-- The ledger is append-only: the database itself refuses to change or
-- delete an entry (a correction is a reversal entry).
CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'fund_entries is append-only'); END;
CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries
BEGIN SELECT RAISE(ABORT, 'fund_entries is append-only'); END;
