package main

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"safetynet/idcard"
)

// TestFeedImport pushes a 残联 file from the command line: the counts and
// the rejected rows are printed, the same file again stores nothing, and
// a file whose type the header does not say asks for --type.
func TestFeedImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "feed.db")
	if out, err := cli(t, db, "", "demo", "--households", "0"); err != nil {
		t.Fatalf("demo: %q %v", out, err)
	}
	id := idcard.Generate(rand.New(rand.NewPCG(3, 3)), "530325", time.Date(1990, 2, 3, 0, 0, 0, 0, time.UTC), idcard.Female)
	file := filepath.Join(dir, "残疾证办理.csv")
	os.WriteFile(file, []byte("证件号码,姓名,办证日期,残疾等级,残疾类别,地址\n"+id+",某某,2025-06-01,二级,肢体,胜境街道腰站社区\n12345,某某,2025-06-01,二级,肢体,\n"), 0o644)
	out, err := cli(t, db, "", "feed", "import", file, "--department", "disabled_federation", "--as", "dept-dpf")
	if err == nil || !strings.Contains(err.Error(), "--type") || !strings.Contains(err.Error(), "证件号码") {
		t.Fatalf("without a type: %q %v", out, err)
	}
	out, err = cli(t, db, "", "feed", "import", file, "--department", "disabled_federation", "--as", "dept-dpf", "--type", "disability_certified")
	if err != nil || !strings.Contains(out, "2 rows; 0 matched to the register, 1 outside the register, 1 rejected") || !strings.Contains(out, "row 3 (3): id_number") {
		t.Fatalf("import: %q %v", out, err)
	}
	// The saved mapping (with its type) serves the same file again: nothing twice.
	out, err = cli(t, db, "", "feed", "import", file, "--department", "disabled_federation", "--as", "dept-dpf")
	if err != nil || !strings.Contains(out, "already pushed") {
		t.Fatalf("again: %q %v", out, err)
	}
	// Another department's account is refused.
	if out, err := cli(t, db, "", "feed", "import", file, "--department", "disabled_federation", "--as", "dept"); err == nil {
		t.Fatalf("as 医保: %q", out)
	}
}
