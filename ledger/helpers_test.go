package ledger

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"safetynet"
)

// today is the fixed date of the tests.
var today = time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)

// Valid ID numbers: published test vectors and numbers made with genID.
const (
	idA = "11010519491231002X" // F, 1949-12-31
	idB = "440524188001010014" // M, 1880-01-01
	idC = "371001198010082394" // M, 1980-10-08
	idD = "65282419840210443X" // M, 1984-02-10
	idE = "36060119980521413X" // M, 1998-05-21
)

// genID completes 17 digits with their GB 11643 check character.
func genID(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(first17[i]-'0') * w
	}
	return first17 + string("10X98765432"[sum%11])
}

// nthID returns a distinct valid ID number for each n (born 1950-1999).
func nthID(n int) string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/500%18000)
	return genID(fmt.Sprintf("530302%s%03d", birth.Format("20060102"), n%500+1))
}

// testPlaces is a town with two villages; both have a group 1.
func testPlaces() []Place {
	town := "某某镇"
	yz := "腰站社区居民委员会"
	xc := "新村村民委员会"
	return []Place{
		{Code: "530302101", Name: town, Level: safetynet.LevelTown, Path: []string{town}},
		{Code: "530302101001", Name: yz, Level: safetynet.LevelVillage, Path: []string{town, yz}},
		{Code: "530302101001-01", Name: "棠梨湾居民小组", Level: safetynet.LevelGroup, Path: []string{town, yz, "棠梨湾居民小组"}},
		{Code: "530302101001-02", Name: "一组", Level: safetynet.LevelGroup, Path: []string{town, yz, "一组"}},
		{Code: "530302101002", Name: xc, Level: safetynet.LevelVillage, Path: []string{town, xc}},
		{Code: "530302101002-01", Name: "第一村民小组", Level: safetynet.LevelGroup, Path: []string{town, xc, "第一村民小组"}},
		{Code: "530302101002-G1", Name: "东片网格", Level: safetynet.LevelGrid, Path: []string{town, xc, "东片网格"}},
	}
}

// xlsxFile builds an .xlsx file whose first sheet holds rows from A1.
// Cells may be strings, numbers or excelize.Cell values.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// saveFixture writes data under testdata/ (ignored by git) when the
// environment asks for it, so a failing fixture can be opened in Excel.
func saveFixture(t testing.TB, name string, data []byte) {
	if os.Getenv("LEDGER_SAVE_FIXTURES") == "" {
		return
	}
	dir := filepath.Join("testdata", "generated")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// strRows turns rows of strings into rows of cells.
func strRows(rows ...[]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		for _, c := range r {
			out[i] = append(out[i], c)
		}
	}
	return out
}

// sheetOf makes a Sheet whose header is row 1 and data rows follow.
func sheetOf(header []string, rows ...[]string) *Sheet {
	s := &Sheet{Header: header, HeaderRow: 1}
	for i, r := range rows {
		s.Rows = append(s.Rows, Row{Number: i + 2, Cells: r})
	}
	return s
}

// build runs Build with the test places and date.
func build(s *Sheet, opt Options) ([]safetynet.LedgerHousehold, []safetynet.RowError) {
	if opt.Today.IsZero() {
		opt.Today = today
	}
	return Build(s, Detect(s.Header), NewPlaceIndex(testPlaces()), opt)
}

// errorsText lists errors as "row column: message" lines for failures.
func errorsText(errs []safetynet.RowError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %d %s: %s", e.Row, e.Field, e.ZH)
	}
	return b.String()
}
