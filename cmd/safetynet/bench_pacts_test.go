package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchPactsSuite runs the pacts suite small (SQLite only), so that it
// keeps working; its figures come from the large run in BENCH_PACTS.md.
func TestBenchPactsSuite(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "pacts", "--pacts", "400", "--pacts-missed", "30",
		"--pacts-households", "20", "--postgres", "")
	if err != nil {
		t.Fatalf("pacts suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: 08:00 sweep over 400 pacts", "the same 30 alerts' rows: plain INSERT", "bulk (multi-row INSERT)", "duplicates 0", "exactly once true"} {
		if !strings.Contains(out, want) {
			t.Errorf("pacts suite output lacks %q:\n%s", want, out)
		}
	}
}

// TestBenchPactsExisting runs the pacts suite on an existing register
// (--pacts-db) twice: the suite removes what it wrote, so the second run
// finds the same register and alerts each day once again.
func TestBenchPactsExisting(t *testing.T) {
	db := filepath.Join(t.TempDir(), "register.db")
	if out, err := cli(t, db, "", "demo", "--households", "60"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	for run := 0; run < 2; run++ {
		out, err := cli(t, db, "", "bench", "--suite", "pacts", "--pacts", "300", "--pacts-missed", "40", "--pacts-db", db)
		if err != nil {
			t.Fatalf("run %d: %q %v", run, out, err)
		}
		for _, want := range []string{"sqlite: 08:00 sweep over 300 pacts", "bulk (multi-row INSERT)", "duplicates 0", "exactly once true"} {
			if !strings.Contains(out, want) {
				t.Errorf("run %d: output lacks %q:\n%s", run, want, out)
			}
		}
	}
	out, err := cli(t, db, "", "bench", "--suite", "pacts", "--pacts", "10", "--pacts-missed", "1", "--pacts-db", filepath.Join(t.TempDir(), "none", "x.db"))
	if err == nil {
		t.Errorf("a register that does not exist: %q", out)
	}
}
