package sqlstore_test

import (
	"strings"
	"testing"

	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestMigrationsLegacyNumbering: a database migrated before migrations
// were numbered per capability recorded versions 1 to 5; it keeps
// working, is renumbered once, and a version this program does not know
// (in either numbering) is refused as a newer schema.
func TestMigrationsLegacyNumbering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		n, err := s.SchemaVersion(ctx)
		if err != nil || n < 5 {
			t.Fatalf("schema version = %d, %v", n, err)
		}
		// The old global numbering is frozen: 1–5 were foundation, register,
		// relay, relay_indexes and search_scope.
		if err := s.ExecRaw(ctx, `DELETE FROM schema_migrations WHERE version IN (10001, 20001, 30001, 30002, 20002)`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES
			(1, 'foundation', 0), (2, 'register', 0), (3, 'relay', 0), (4, 'relay_indexes', 0), (5, 'search_scope', 0)`); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema of an old database: %v", err)
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("migrate an old database = %v, %v; want nothing to apply", applied, err)
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
		for _, future := range []string{"6", "30999", "990001"} {
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
		// A database of the release before search_scope (versions 1–4) gets
		// it, under its new number.
		if err := s.ExecRaw(ctx, `DROP INDEX persons_search_old`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `DELETE FROM schema_migrations WHERE version IN (10001, 20001, 30001, 30002, 20002)`); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecRaw(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES
			(1, 'foundation', 0), (2, 'register', 0), (3, 'relay', 0), (4, 'relay_indexes', 0)`); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSchema(ctx); err == nil {
			t.Error("CheckSchema accepted a database lacking search_scope")
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 || applied[0] != 20002 {
			t.Fatalf("migrate a database of the release before = %v, %v; want [20002]", applied, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
