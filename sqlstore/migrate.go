package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations are embedded, forward-only and numbered per capability, so
// that two capabilities' migrations cannot collide:
//
//	migrations/<capability>/<NNNN>_<name>.sql            portable SQL
//	migrations/<capability>/<NNNN>_<name>.<dialect>.sql  optional, for sqlite or postgres
//
// Each capability numbers its files 0001, 0002, … without gaps or
// repeats, and only its own engineers add to its directory. A migration's
// version is the capability's prefix (see capabilities) times versionSpan
// plus its number: relay/0002 is version 30002. They run in the order of
// capabilities, then by number; a database made before a migration was
// written runs it later than a new one would, so a migration may use the
// tables of its own capability and of those listed before it, never of a
// later one. The test TestMigrationFiles refuses files out of this
// grammar, duplicates, gaps and unknown capabilities.
//
//go:embed migrations
var migrationFS embed.FS

// capabilities own migrations, in the order they run, with the prefix of
// their versions. Append a new capability with the next prefix; never
// reorder or renumber.
var capabilities = []struct {
	name   string
	prefix int
}{
	{"foundation", 1},     // places, users, sessions, audit, imports
	{"register", 2},       // households, persons, categories, search
	{"relay", 3},          // clues, cases, deadlines, notifications, outbox
	{"rules", 4},          // rules, parameters, screening lists, outreach
	{"feeds", 5},          // department batches, row results, events, warning queue
	{"warnings", 6},       // warning rule settings, warnings, evaluation errors
	{"monitoring", 7},     // inclusion into monitoring, risk elimination, income assessments
	{"colours", 8},        // risk colour rules, household colours and their history
	{"visits", 9},         // visit plans, key families, visit pairs, due visits, visit records
	{"pacts", 10},         // curtain pacts, their days, alerts, devices
	{"certification", 11}, // survival certification: settings, dues, records, reviews
	{"services", 12},      // service organisations, contracts, workers, plans, dues, records, evidence
	{"settlement", 13},    // verification of services, automatic flags, monthly settlements (按劳定酬)
	{"volunteering", 14},  // volunteer relays (接龙): tasks, slots, sign-up links, hours
	{"funds", 15},         // fund sources, receipts, allocations, spending, linked resources
	{"campaigns", 16},     // units, campaigns, goals, work items, stages, 登记造册, activities, examples, 集中排查
	{"enrolment", 17},     // later changes of the survey-and-register stage (登记造册) and its reminders
	{"screenings", 18},    // later changes of concentrated screening (集中排查)
	{"inspections", 19},   // unannounced inspections (四不两直): samples, checklists, findings, rectifications, scores
	{"dashboards", 20},    // figures kept for the dashboards per level
}

// versionSpan separates the capabilities' versions: each may have up to
// 9,999 migrations.
const versionSpan = 10000

// legacyVersions maps the versions databases recorded before migrations
// were numbered per capability (1, 2, 3, …) to their versions now.
var legacyVersions = map[int]int{1: 10001, 2: 20001, 3: 30001, 4: 30002, 5: 20002}

// migration is one schema version: the portable file and, optionally, the
// file for the current dialect, applied together in one transaction.
type migration struct {
	capability string
	number     int
	version    int
	name       string
	sql        string
	dialectSQL string
}

// id names a migration as its directory and number, e.g. "relay/0002".
func (m migration) id() string { return fmt.Sprintf("%s/%04d", m.capability, m.number) }

// migrations returns the migrations for d in the order they run.
func migrations(d dialect) ([]migration, error) {
	return loadMigrations(migrationFS, "migrations", d)
}

// loadMigrations reads the migrations under dir of fsys for d and checks
// their numbering.
func loadMigrations(fsys fs.FS, dir string, d dialect) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	prefix := map[string]int{}
	for _, c := range capabilities {
		prefix[c.name] = c.prefix
	}
	type key struct {
		capability string
		number     int
	}
	byKey := map[key]*migration{}
	seen := map[string]string{} // capability/number.dialect → file, to find repeats
	for _, e := range entries {
		if !e.IsDir() {
			return nil, fmt.Errorf("sqlstore: migration %s is outside a capability's directory", e.Name())
		}
		cap := e.Name()
		if _, ok := prefix[cap]; !ok {
			return nil, fmt.Errorf("sqlstore: migrations of unknown capability %q: add it to capabilities in migrate.go", cap)
		}
		files, err := fs.ReadDir(fsys, path.Join(dir, cap))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name, ok := strings.CutSuffix(f.Name(), ".sql")
			if !ok || f.IsDir() {
				return nil, fmt.Errorf("sqlstore: bad migration file name %s/%s", cap, f.Name())
			}
			base, dial, hasDialect := strings.Cut(name, ".")
			if hasDialect && dial != "sqlite" && dial != "postgres" {
				return nil, fmt.Errorf("sqlstore: migration %s/%s is for unknown dialect %q", cap, f.Name(), dial)
			}
			num, title, ok := strings.Cut(base, "_")
			v, err := strconv.Atoi(num)
			if !ok || err != nil || len(num) != 4 || v <= 0 || title == "" {
				return nil, fmt.Errorf("sqlstore: bad migration file name %s/%s: want NNNN_name.sql", cap, f.Name())
			}
			sk := fmt.Sprintf("%s/%d.%s", cap, v, dial)
			if other, dup := seen[sk]; dup {
				return nil, fmt.Errorf("sqlstore: migrations %s/%s and %s/%s share number %04d", cap, other, cap, f.Name(), v)
			}
			seen[sk] = f.Name()
			k := key{cap, v}
			m := byKey[k]
			if m == nil {
				m = &migration{capability: cap, number: v, version: prefix[cap]*versionSpan + v, name: title}
				byKey[k] = m
			} else if m.name != title {
				return nil, fmt.Errorf("sqlstore: migrations %s/%04d_%s and %s/%s share number %04d", cap, v, m.name, cap, f.Name(), v)
			}
			if hasDialect && dial != d.name {
				continue
			}
			body, err := fs.ReadFile(fsys, path.Join(dir, cap, f.Name()))
			if err != nil {
				return nil, err
			}
			if hasDialect {
				m.dialectSQL = string(body)
			} else {
				m.sql = d.ddl.Replace(string(body))
			}
		}
	}
	var out []migration
	for _, m := range byKey {
		// The dialect file runs after the portable one: it adds triggers
		// and indexes to the tables the portable file made.
		m.sql += "\n" + m.dialectSQL
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		want := 1
		if i > 0 && out[i-1].capability == m.capability {
			want = out[i-1].number + 1
		}
		if m.number != want {
			return nil, fmt.Errorf("sqlstore: migration %s/%04d is missing", m.capability, want)
		}
	}
	return out, nil
}

// SchemaVersion returns how many migrations the database has applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: schema version: %w", err)
	}
	return v, nil
}

// newerSchema is the error of a database holding migrations this program
// does not know: a newer release migrated it.
func newerSchema(versions []int) error {
	return fmt.Errorf("sqlstore: the database schema is newer than this program (unknown migrations %v): upgrade safetynet", versions)
}

// Migrate brings the schema up to date. It refuses to run against a schema
// newer than this program knows (one holding a migration it does not
// know). Several processes may call it at once: on PostgreSQL an advisory
// lock serialises them, on SQLite the write lock. It returns the versions
// it applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	all, err := migrations(s.d)
	if err != nil {
		return nil, err
	}
	var applied []int
	err = s.write(ctx, func(t *tx) error {
		applied = nil
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
		done, err := s.renumberLegacy(ctx, t)
		if err != nil {
			return err
		}
		if unknown := unknownVersions(done, all); len(unknown) > 0 {
			return newerSchema(unknown)
		}
		for _, m := range all {
			if done[m.version] {
				continue
			}
			// Whole-file execution: SQLite and PostgreSQL's simple protocol
			// both accept several statements, and triggers contain ';'.
			if _, err := t.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: migration %s (%s): %w", m.id(), m.name, err)
			}
			if _, err := t.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, ms(s.now())); err != nil {
				return fmt.Errorf("sqlstore: record migration %s: %w", m.id(), err)
			}
			applied = append(applied, m.version)
		}
		return nil
	})
	if err == nil {
		err = s.reindexSearch(ctx)
	}
	if err == nil {
		err = s.sealPactSecrets(ctx) // pacts/0002: SQL cannot encrypt
	}
	return applied, err
}

// renumberLegacy gives the migrations a database recorded under the old
// global numbering their per-capability versions, and returns the
// versions applied. An old version it does not know is left as it is (and
// refused as newer).
func (s *Store) renumberLegacy(ctx context.Context, t *tx) (map[int]bool, error) {
	done, err := versionsApplied(ctx, t)
	if err != nil {
		return nil, err
	}
	for v := range done {
		if nv, ok := legacyVersions[v]; ok {
			if _, err := t.exec(ctx, `UPDATE schema_migrations SET version = ? WHERE version = ?`, nv, v); err != nil {
				return nil, fmt.Errorf("sqlstore: renumber migration %d: %w", v, err)
			}
			delete(done, v)
			done[nv] = true
		}
	}
	return done, nil
}

// versionsApplied reads the versions in schema_migrations.
func versionsApplied(ctx context.Context, t *tx) (map[int]bool, error) {
	rows, err := t.query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: schema versions: %w", err)
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		done[v] = true
	}
	return done, rows.Err()
}

// unknownVersions returns the applied versions not among all, sorted.
func unknownVersions(done map[int]bool, all []migration) []int {
	known := map[int]bool{}
	for _, m := range all {
		known[m.version] = true
	}
	var out []int
	for v := range done {
		if !known[v] {
			out = append(out, v)
		}
	}
	sort.Ints(out)
	return out
}

// CheckSchema returns an error unless the database has applied exactly the
// migrations this program knows.
func (s *Store) CheckSchema(ctx context.Context) error {
	all, err := migrations(s.d)
	if err != nil {
		return err
	}
	var done map[int]bool
	if err := s.read(ctx, func(t *tx) error {
		var err error
		done, err = versionsApplied(ctx, t)
		return err
	}); err != nil {
		return err
	}
	for v := range done {
		if nv, ok := legacyVersions[v]; ok {
			delete(done, v)
			done[nv] = true
		}
	}
	if unknown := unknownVersions(done, all); len(unknown) > 0 {
		return newerSchema(unknown)
	}
	for _, m := range all {
		if !done[m.version] {
			return fmt.Errorf("sqlstore: the database schema lacks migration %s (%s): run 'safetynet migrate'", m.id(), m.name)
		}
	}
	return nil
}
