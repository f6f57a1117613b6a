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
	for _, want := range []string{"sqlite: 08:00 sweep over 400 pacts", "plain INSERT of the same 30 alerts", "duplicates 0", "exactly once true"} {
		if !strings.Contains(out, want) {
			t.Errorf("pacts suite output lacks %q:\n%s", want, out)
		}
	}
}
