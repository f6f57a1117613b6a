package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesCommands: "rules test" passes the county's rule file and fails
// naming a wrong example; "rules screen" screens with progress.
func TestRulesCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "rules.db")
	good := filepath.Join("..", "..", "rules", "testdata", "fuyuan.json")
	if out, err := cli(t, db, "", "rules", "test", good); err != nil || !strings.Contains(out, "ok ") {
		t.Fatalf("rules test: %q %v", out, err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(strings.Replace(string(data), `"name": "收入低于低保线", "expect": true`, `"name": "收入低于低保线", "expect": false`, 1)), 0o644)
	out, err := cli(t, db, "", "rules", "test", bad)
	if err == nil || !strings.Contains(out, "FAIL") || !strings.Contains(out, "收入低于低保线") {
		t.Fatalf("rules test with a wrong example: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "rules", "screen"); err != nil || !strings.Contains(out, "screened 0 households") {
		t.Fatalf("rules screen: %q %v", out, err)
	}
}
