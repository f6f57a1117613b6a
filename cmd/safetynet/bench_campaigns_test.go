package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The campaigns suite runs on a small demo so that it keeps working; its
// figures come from the 1M register (BENCH_CAMPAIGNS.md).
func TestBenchCampaignsSuite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "camp.db")
	if out, err := cli(t, db, "", "demo", "--households", "60"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "bench", "--suite", "campaigns"); err == nil || !strings.Contains(out+err.Error(), "--campaigns-db") {
		t.Errorf("without --campaigns-db: %q %v", out, err)
	}
	out, err := cli(t, db, "", "bench", "--suite", "campaigns", "--campaigns-db", db, "--campaigns-reads", "2", "--campaigns-towns", "3",
		"--campaigns-villages", "30", "--campaigns-members", "2")
	if err != nil {
		t.Fatalf("campaigns suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: register of", "3 towns, 30 villages, 60 members listed", "county progress page (3 towns, 30 villages:",
		"town progress page (10 villages)", "late villages (the list behind the figure) (", "raw COUNTs over the same rows", "[load "} {
		if !strings.Contains(out, want) {
			t.Errorf("campaigns suite output lacks %q:\n%s", want, out)
		}
	}
}
