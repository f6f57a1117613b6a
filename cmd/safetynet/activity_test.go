package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateActivityCommand: generate-activity lists its flags, fills a
// demo register with two months of activity, prints the rows per table,
// and refuses a second run without --force.
func TestGenerateActivityCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "register.db")
	if out, err := cli(t, db, "", "generate-activity", "--help"); err != nil || !strings.Contains(out, "-months") || !strings.Contains(out, "-force") {
		t.Fatalf("help: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "demo", "--households", "60"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	out, err := cli(t, db, "", "generate-activity", "--months", "2", "--scale", "50", "--seed", "4")
	if err != nil {
		t.Fatalf("generate: %q %v", out, err)
	}
	for _, want := range []string{"clues", "pact_days", "service_records", "volunteer_takes", "fund_entries", "activity from"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out, err := cli(t, db, "", "generate-activity", "--months", "2"); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second run: %q %v, want a refusal naming --force", out, err)
	}
	if out, err := cli(t, db, "", "generate-activity", "--end", "30/11/2026"); err == nil || !strings.Contains(err.Error(), "--end") {
		t.Errorf("bad end: %q %v", out, err)
	}
}
