package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchDashboardsSuite runs the dashboards suite small (SQLite only,
// a demo register with three months of generated activity), so that it
// keeps working; its figures come from the large run in
// BENCH_DASHBOARDS.md.
func TestBenchDashboardsSuite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "register.db")
	if out, err := cli(t, db, "", "demo", "--households", "400"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "generate-activity", "--months", "3", "--scale", "50"); err != nil {
		t.Fatalf("activity: %q %v", out, err)
	}
	out, err := cli(t, db, "", "bench", "--suite", "dashboards", "--dash-db", db, "--dash-runs", "3", "--dash-periods", "month,quarter")
	if err != nil {
		t.Fatalf("dashboards suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite month   county  530325", "sqlite quarter village", "baseline COUNT(*) p50", "target p95 ≤ 50 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("dashboards suite output lacks %q:\n%s", want, out)
		}
	}
	if out, err := cli(t, db, "", "bench", "--suite", "dashboards"); err == nil || !strings.Contains(err.Error(), "--dash-db") {
		t.Errorf("without --dash-db: %q %v", out, err)
	}
}
