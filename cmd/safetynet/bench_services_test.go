package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchServicesSuite runs the services suite briefly on a small demo
// database: both the recording clients and the plain INSERTs report,
// without errors.
func TestBenchServicesSuite(t *testing.T) {
	db := filepath.Join(t.TempDir(), "services.db")
	if out, err := cli(t, db, "", "demo", "--households", "40"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	out, err := cli(t, db, "", "bench", "--suite", "services", "--services-db", db, "--clients", "3", "--duration", "1s",
		"--services-workers", "2", "--services-households", "20", "--services-photo", "64", "--services-pace", "200ms")
	if err != nil {
		t.Fatalf("services suite: %q %v", out, err)
	}
	for _, want := range []string{"sqlite: 3 clients recording services back to back for 1s", "sqlite: 3 clients plain one-row INSERTs back to back for 1s", "recording services once every 200ms each", " 0 errors"} {
		if !strings.Contains(out, want) {
			t.Errorf("services suite output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "recording services back to back for 1s: 0 done") {
		t.Errorf("nothing recorded:\n%s", out)
	}
}
