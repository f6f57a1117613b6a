package sqlstore

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrationFiles checks the embedded migrations against the grammar of
// migrate.go on both dialects: known capabilities, numbers 1…n per
// capability, versions in the capabilities' order, the same order on
// every load, and the databases made before per-capability numbering
// mapped onto real migrations.
func TestMigrationFiles(t *testing.T) {
	for _, d := range []dialect{sqlite, postgres} {
		t.Run(d.name, func(t *testing.T) {
			all, err := migrations(d)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := migrations(d)
			known := map[int]bool{}
			for i, m := range all {
				if again[i].version != m.version {
					t.Fatalf("order differs between loads at %d: %s, %s", i, m.id(), again[i].id())
				}
				if i > 0 && m.version <= all[i-1].version {
					t.Errorf("%s runs after %s", m.id(), all[i-1].id())
				}
				if strings.TrimSpace(m.sql) == "" {
					t.Errorf("%s is empty for %s", m.id(), d.name)
				}
				known[m.version] = true
			}
			for old, v := range legacyVersions {
				if !known[v] {
					t.Errorf("old version %d maps to %d, which is no migration", old, v)
				}
			}
			if len(legacyVersions) > len(all) {
				t.Errorf("%d old versions for %d migrations", len(legacyVersions), len(all))
			}
		})
	}
	seen := map[int]string{}
	for _, c := range capabilities {
		if other, dup := seen[c.prefix]; dup {
			t.Errorf("capabilities %s and %s share prefix %d", other, c.name, c.prefix)
		}
		seen[c.prefix] = c.name
	}
}

// TestMigrationGrammar feeds the loader directories that break the
// numbering rules: each is refused with an error naming the problem.
func TestMigrationGrammar(t *testing.T) {
	file := &fstest.MapFile{Data: []byte("CREATE TABLE x (id AUTOID);")}
	tests := []struct {
		name  string
		files []string
		want  string // in the error; "" when valid
	}{
		{"valid", []string{"foundation/0001_a.sql", "foundation/0001_a.sqlite.sql", "foundation/0002_b.postgres.sql", "relay/0001_c.sql"}, ""},
		{"two files share a number", []string{"foundation/0001_a.sql", "foundation/0001_b.sql"}, "share number 0001"},
		{"a gap", []string{"foundation/0001_a.sql", "foundation/0003_c.sql"}, "foundation/0002 is missing"},
		{"not starting at 1", []string{"register/0002_a.sql"}, "register/0001 is missing"},
		{"an unknown capability", []string{"campaign/0001_a.sql"}, "unknown capability \"campaign\""},
		{"a file outside capabilities", []string{"0005_search.sql"}, "outside a capability"},
		{"a number not of four digits", []string{"relay/1_a.sql"}, "bad migration file name"},
		{"no name", []string{"relay/0001.sql"}, "bad migration file name"},
		{"an unknown dialect", []string{"relay/0001_a.mysql.sql"}, "unknown dialect"},
		{"not SQL", []string{"relay/0001_a.txt"}, "bad migration file name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["m/"+f] = file
			}
			for _, d := range []dialect{sqlite, postgres} {
				_, err := loadMigrations(fsys, "m", d)
				switch {
				case tt.want == "" && err != nil:
					t.Errorf("%s: %v", d.name, err)
				case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
					t.Errorf("%s: err = %v, want one saying %q", d.name, err, tt.want)
				}
			}
		})
	}
	// Capabilities run in the order of capabilities, whatever the
	// directories' names sort to.
	fsys := fstest.MapFS{"m/relay/0001_a.sql": file, "m/foundation/0001_b.sql": file, "m/register/0001_c.sql": file}
	all, err := loadMigrations(fsys, "m", sqlite)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range all {
		ids = append(ids, m.id())
	}
	if strings.Join(ids, " ") != "foundation/0001 register/0001 relay/0001" {
		t.Errorf("order = %v", ids)
	}
	if !strings.Contains(all[0].sql, "INTEGER PRIMARY KEY") {
		t.Errorf("portable words not mapped: %q", all[0].sql)
	}
}
