package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchFundsSuite runs the funds suite small (SQLite only), so that it
// keeps working; its figures come from the large run in BENCH_FUNDS.md.
func TestBenchFundsSuite(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "funds", "--fund-entries", "2000", "--fund-reads", "3",
		"--postgres", "")
	if err != nil {
		t.Fatalf("funds suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: 2000 entries written", "plain SELECT SUM", "source page", "county figures", "equals the ledger's sums: true"} {
		if !strings.Contains(out, want) {
			t.Errorf("funds suite output lacks %q:\n%s", want, out)
		}
	}
}
