package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The import and search suites and the relay's open loop run on small
// sizes, so that they keep working; their figures come from large runs.
func TestBenchSuites(t *testing.T) {
	out, err := cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "import", "--import-rows", "300", "--base-households", "40",
		"--reporters", "1")
	if err != nil {
		t.Fatalf("import suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: raw baseline", "sqlite: preview (dry run) of", "clue reports during the preview", "× the raw baseline", "re-import of"} {
		if !strings.Contains(out, want) {
			t.Errorf("import suite output lacks %q:\n%s", want, out)
		}
	}
	out, err = cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "search", "--search-sizes", "300,600", "--searches", "5")
	if err != nil {
		t.Fatalf("search suite: %q %v", out, err)
	}
	for _, want := range []string{"2-character name search as village", "600 persons", "× the p95 at "} {
		if !strings.Contains(out, want) {
			t.Errorf("search suite output lacks %q:\n%s", want, out)
		}
	}
	out, err = cli(t, filepath.Join(t.TempDir(), "unused.db"), "", "bench", "--suite", "rules", "--rules-households", "300", "--rules-edits", "1")
	if err != nil {
		t.Fatalf("rules suite: %q %v", out, err)
	}
	for _, want := range []string{"plain Go loop", "full screening of", "× the plain loop", "preview of one rule"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules suite output lacks %q:\n%s", want, out)
		}
	}
	db := filepath.Join(t.TempDir(), "relay.db")
	if out, err := cli(t, db, "", "demo", "--households", "60"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	out, err = cli(t, db, "", "bench", "--suite", "relay", "--clients", "2", "--duration", "1s", "--rates", "20", "--open-duration", "1s",
		"--open-items", "0", "--village-items", "0")
	if err != nil {
		t.Fatalf("relay: %q %v", out, err)
	}
	for _, want := range []string{"relay load: 2 clients", "relay open loop at 20 requests/s", "latency from the scheduled time"} {
		if !strings.Contains(out, want) {
			t.Errorf("relay output lacks %q:\n%s", want, out)
		}
	}
}
