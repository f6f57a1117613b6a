package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one schema version: the portable file and, optionally, the
// file for the current dialect, applied together in one transaction.
type migration struct {
	version    int
	name       string
	sql        string
	dialectSQL string
}

// migrations returns the migrations for d in version order.
func migrations(d dialect) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*migration{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		base, dial, hasDialect := strings.Cut(name, ".")
		if hasDialect && dial != d.name {
			continue
		}
		num, title, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: bad migration file name %q", e.Name())
		}
		body, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		m := byVersion[v]
		if m == nil {
			m = &migration{version: v, name: title}
			byVersion[v] = m
		}
		if hasDialect {
			m.dialectSQL = string(body)
		} else {
			m.sql = d.ddl.Replace(string(body))
		}
	}
	var out []migration
	for _, m := range byVersion {
		// The dialect file runs after the portable one: it adds triggers
		// and indexes to the tables the portable file made.
		m.sql += "\n" + m.dialectSQL
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlstore: migration %d is missing", i+1)
		}
	}
	return out, nil
}

// SchemaVersion returns the version of the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	return v, nil
}

// Migrate brings the schema up to date. It refuses to run against a schema
// newer than this program knows. Several processes may call it at once:
// on PostgreSQL an advisory lock serialises them, on SQLite the write lock.
// It returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	all, err := migrations(s.d)
	if err != nil {
		return nil, err
	}
	var applied []int
	err = s.write(ctx, func(t *tx) error {
		if s.d.name == "postgres" {
			if _, err := t.exec(ctx, "SELECT pg_advisory_xact_lock(7215060101)"); err != nil {
				return fmt.Errorf("sqlstore: migration lock: %w", err)
			}
		}
		// Inside the lock: concurrent CREATE TABLE IF NOT EXISTS races on PostgreSQL.
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
			return fmt.Errorf("sqlstore: create schema_migrations: %w", err)
		}
		var current int
		if err := t.queryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return fmt.Errorf("sqlstore: schema version: %w", err)
		}
		if current > len(all) {
			return fmt.Errorf("sqlstore: the database schema is at version %d but this program knows only %d: upgrade safetynet", current, len(all))
		}
		for _, m := range all[current:] {
			// Whole-file execution: SQLite and PostgreSQL's simple protocol
			// both accept several statements, and triggers contain ';'.
			if _, err := t.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: migration %d (%s): %w", m.version, m.name, err)
			}
			if _, err := t.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, ms(s.now())); err != nil {
				return fmt.Errorf("sqlstore: record migration %d: %w", m.version, err)
			}
			applied = append(applied, m.version)
		}
		return nil
	})
	if err == nil {
		err = s.reindexSearch(ctx)
	}
	return applied, err
}

// CheckSchema returns an error unless the schema is exactly the version
// this program knows.
func (s *Store) CheckSchema(ctx context.Context) error {
	all, err := migrations(s.d)
	if err != nil {
		return err
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != len(all) {
		return fmt.Errorf("sqlstore: the database schema is at version %d, this program needs %d: run 'safetynet migrate'", v, len(all))
	}
	return nil
}
