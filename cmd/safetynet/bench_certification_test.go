package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The certification suite runs on a small demo so that it keeps working;
// its figures come from the 1M register (BENCH_CERTIFICATION.md).
func TestBenchCertificationSuite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cert.db")
	if out, err := cli(t, db, "", "demo", "--households", "60"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "bench", "--suite", "certification"); err == nil || !strings.Contains(out+err.Error(), "--cert-db") {
		t.Errorf("without --cert-db: %q %v", out, err)
	}
	out, err := cli(t, db, "", "bench", "--suite", "certification", "--cert-db", db, "--cert-reads", "2", "--cert-users", "grid,county")
	if err != nil {
		t.Fatalf("certification suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: generating the dues of the whole register:", "plain INSERT … SELECT of the same", "the refresh is",
		"refresh #2 with nothing changed", "due in 30 days of grid (grid_worker", "due in 30 days of county", "plain SELECT of the same", "[load "} {
		if !strings.Contains(out, want) {
			t.Errorf("certification suite output lacks %q:\n%s", want, out)
		}
	}
}
