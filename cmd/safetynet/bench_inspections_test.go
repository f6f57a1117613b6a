package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchInspectionsSuite runs the inspections suite small (SQLite, a
// fresh demo register), so that it keeps working; its figures come from
// the runs on the 1M register in BENCH_INSPECTIONS.md.
func TestBenchInspectionsSuite(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "inspections", "--inspections-villages", "3",
		"--inspections-households", "4", "--inspections-runs", "2", "--postgres", "")
	if err != nil {
		t.Fatalf("inspections suite: %q %v", out, err)
	}
	for _, want := range []string{"households (3 villages): median", "every sample redraws identically from its seed",
		"sqlite: baseline plain SELECT of the drawn villages'"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspections suite output lacks %q:\n%s", want, out)
		}
	}
}
