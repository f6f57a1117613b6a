package sqlstore_test

import (
	"strings"
	"testing"

	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestMigrationsLegacyNumbering: a database migrated before migrations
// were numbered per capability recorded versions 1 to 4; it keeps
// working, is renumbered once, and a version this program does not know
// (in either numbering) is refused as a newer schema.
func TestMigrationsLegacyNumbering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		n, err := s.SchemaVersion(ctx)
		if err != nil || n < 4 {
			t.Fatalf("schema version = %d, %v", n, err)
		}
		// An old database recorded 1 to 4 for what is now 10001, 20001,
		// 30001 and 30002; migrations added since stay recorded as they are.
		if err := s.ExecRaw(ctx, `DELETE FROM schema_migrations WHERE version IN (10001, 20001, 30001, 30002)`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES
			(1, 'foundation', 0), (2, 'register', 0), (3, 'relay', 0), (4, 'relay_indexes', 0)`); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema of an old database: %v", err)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("migrate an old database = %v, %v; want it renumbered with nothing to apply", applied, err)
		}
		if again, err := s.Migrate(ctx); err != nil || len(again) != 0 {
			t.Fatalf("second migrate = %v, %v", again, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != n {
			t.Errorf("schema version = %d, %v; want %d", v, err, n)
		}
		if old, err := s.StringsForTest(ctx, `SELECT name FROM schema_migrations WHERE version < 10`); err != nil || len(old) != 0 {
			t.Errorf("legacy versions left after renumbering: %v, %v", old, err)
		}
		for _, future := range []string{"5", "30999", "990001"} {
			if err := s.ExecRaw(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (`+future+`, 'future', 0)`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), future) {
				t.Errorf("migrate with version %s = %v, want a newer schema refused", future, err)
			}
			if err := s.CheckSchema(ctx); err == nil {
				t.Errorf("CheckSchema accepted version %s", future)
			}
			if err := s.ExecRaw(ctx, `DELETE FROM schema_migrations WHERE version = `+future); err != nil {
				t.Fatal(err)
			}
		}
	})
}
