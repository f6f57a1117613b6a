package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"safetynet/ledger"
	"safetynet/synth"
)

// TestMain lets a test run the program itself in a child process.
func TestMain(m *testing.M) {
	if os.Getenv("SAFETYNET_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestKillDuringImport kills the program in the middle of a ledger import,
// half-way through its transaction, and checks that
// the register is as it was before, and that the import can simply be run
// again.
func TestKillDuringImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kill.db")
	if out, err := cli(t, db, "", "demo"); err != nil {
		t.Fatalf("demo: %s %v", out, err)
	}
	file := filepath.Join(dir, "ledger.xlsx")
	writeLedger(t, file, 20000)
	before := countRows(t, db)

	cmd := exec.Command(os.Args[0], "import", file, "--as", "county", "--db", db)
	cmd.Env = append(os.Environ(), "SAFETYNET_TEST_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill when the import says half of the households are written inside
	// its transaction, and their pages have reached the write-ahead log.
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		var done, total int
		if _, err := fmt.Sscanf(sc.Text(), "%d/%d households", &done, &total); err == nil && done*2 >= total {
			if fi, err := os.Stat(db + "-wal"); err != nil || fi.Size() == 0 {
				t.Errorf("nothing in the WAL at %d/%d", done, total)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
			break
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatal("the import finished before it could be killed")
	}
	if got := countRows(t, db); got != before {
		t.Fatalf("after the kill the register has %s, before it had %s", got, before)
	}
	// Run it again: everything arrives once.
	res, err := cli(t, db, "", "import", file, "--as", "county")
	if err != nil {
		t.Fatalf("second run: %s %v", res, err)
	}
	res, err = cli(t, db, "", "import", file, "--as", "county")
	if err != nil || !bytes.Contains([]byte(res), []byte("persons 0 new, 0 updated")) {
		t.Fatalf("third run should change nothing: %s %v", res, err)
	}
}

func writeLedger(t *testing.T, path string, rows int) {
	t.Helper()
	g := synth.New(9, []synth.Place{{Code: "530325002009", Name: "腰站社区居民委员会", County: "530381"}}, time.Now())
	var buf bytes.Buffer
	x, err := ledger.NewExport(&buf, "zh")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < rows; {
		h := g.Next()
		for _, m := range h.Members {
			if err := x.Write(ledger.ExportRow{HouseholdNumber: "K" + h.Household.Number, PlaceCode: h.Household.PlaceCode,
				Address: h.Household.Address, HeadName: h.Members[0].Person.Name, Name: m.Person.Name, IDNumber: m.Person.IDNumber,
				Relation: m.Person.Relation, Sex: m.Person.Sex, Birth: m.Person.Birth.Format("2006-01-02"), Phone: m.Person.Phone,
				FamilySize: len(h.Members)}); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// countRows counts the register's rows through a fresh store.
func countRows(t *testing.T, db string) string {
	t.Helper()
	env := cmdEnv{getenv: func(string) string { return "" }, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	s, err := env.open(context.Background(), &dbFlags{db: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.CountPersons(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d persons, %d households", c.Persons, c.Households)
}
