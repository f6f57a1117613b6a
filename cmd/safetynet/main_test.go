package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cli runs the program with args against db and returns its output.
func cli(t *testing.T, db, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := func(k string) string {
		if k == "SAFETYNET_DB" {
			return db
		}
		return ""
	}
	err := run(context.Background(), args, env, strings.NewReader(stdin), &out, &errb)
	return out.String() + errb.String(), err
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")
	if out, err := cli(t, db, "", "version"); err != nil || !strings.HasPrefix(out, "safetynet ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "migrate"); err != nil || !strings.Contains(out, "schema at version") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	csv := filepath.Join(dir, "d.csv")
	os.WriteFile(csv, []byte("code,name,level,parent_code\n53,云南省,province,\n5303,曲靖市,prefecture,53\n530325,富源县,county,5303\n"), 0o644)
	// Flags may follow the file name.
	if out, err := cli(t, db, "", "places", "import", csv, "--dry-run"); err != nil || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "places", "import", csv); err != nil || !strings.Contains(out, "3 created") {
		t.Fatalf("import: %q %v", out, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,name,level,parent_code\n530325001,某镇,town,530325\n530325002,某村,village,nowhere\n"), 0o644)
	out, err := cli(t, db, "", "places", "import", bad)
	if err == nil || !strings.Contains(out, "bad.csv:3:") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("bad import: %q %v", out, err)
	}
	out, err = cli(t, db, "s3cret-pass\n", "user", "add", "--username", "boss", "--role", "county_officer", "--place", "530325", "--password-stdin")
	if err != nil || !strings.Contains(out, "created user boss") {
		t.Fatalf("user add: %q %v", out, err)
	}
	out, err = cli(t, db, "", "user", "add", "--username", "gw01", "--role", "grid_worker", "--place", "530325")
	if err == nil || !strings.Contains(err.Error(), "grid") {
		t.Fatalf("grid worker at a county: %q %v", out, err)
	}
	out, err = cli(t, db, "", "user", "passwd", "--username", "boss")
	if err != nil || !strings.Contains(out, "temporary password") {
		t.Fatalf("passwd: %q %v", out, err)
	}
	if out, err := cli(t, db, "", "user", "disable", "--username", "boss"); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("disable: %q %v", out, err)
	}
	if _, err := cli(t, db, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestServeWithDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan error, 1)
	pr, pw, _ := os.Pipe()
	go func() {
		env := func(k string) string {
			if k == "SAFETYNET_DB" {
				return db
			}
			return ""
		}
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, env, strings.NewReader(""), pw, &out)
		pw.Close()
	}()
	buf := make([]byte, 256)
	n, _ := pr.Read(buf)
	line := string(buf[:n])
	i := strings.Index(line, "http://")
	if i < 0 {
		t.Fatalf("no URL in %q (log: %s)", line, out.String())
	}
	url := strings.TrimSpace(line[i:])
	resp, err := http.Get(url + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestBenchCommand runs the benchmark command on a small demo, so that it
// keeps working; the figures of the issue notes come from a large one.
func TestBenchCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bench.db")
	if out, err := cli(t, db, "", "demo", "--households", "150"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	out, err := cli(t, db, "", "bench", "--user", "county", "--searches", "30", "--pages", "20", "--import-rows", "400",
		"--clients", "8", "--duration", "2s", "--open-items", "600", "--village-items", "150")
	if err != nil {
		t.Fatalf("bench: %q %v", out, err)
	}
	for _, want := range []string{"search (30 queries", "household page", "import: ", "export: ", "peak memory",
		"relay load: 8 clients", " 0 errors", "work list page, HTML", "open items; 100 requests", "later (all overdue)"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output lacks %q:\n%s", want, out)
		}
	}
}
