package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchVolunteeringSuite runs the volunteering suite small (SQLite
// only), so that it keeps working; its figures come from the runs in
// BENCH_VOLUNTEERING.md.
func TestBenchVolunteeringSuite(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "volunteering", "--volunteer-takers", "60", "--postgres", "")
	if err != nil {
		t.Fatalf("volunteering suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: TakeSlot by 60 at once: 10 taken (10 places held), 50 answered \"taken\", 0 other errors",
		"baseline plain conditional UPDATE by 60 at once: 10 taken"} {
		if !strings.Contains(out, want) {
			t.Errorf("volunteering suite output lacks %q:\n%s", want, out)
		}
	}
}
