package httpserver_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestLedgerTemplateGuide downloads the ledger template and reads its
// guide sheet back: headers in the asked language, not "{1  Column}".
func TestLedgerTemplateGuide(t *testing.T) {
	e := newEnv(t)
	tok := e.token("village")
	for _, tc := range []struct{ lang, sheet, col, values string }{
		{"zh-CN", "填写说明", "列", "说明和可填的值"},
		{"en", "How to fill in", "Column", "Values accepted"},
	} {
		r := e.do("GET", "/api/v1/ledger-template.xlsx", tok, "", "Accept-Language", tc.lang)
		if r.status != 200 {
			t.Fatalf("%s: %d %.200s", tc.lang, r.status, r.body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(tc.sheet)
		f.Close()
		if err != nil || len(rows) < 10 {
			t.Fatalf("%s guide: %d rows, %v", tc.lang, len(rows), err)
		}
		if !slices.Equal(rows[0], []string{tc.col, tc.values}) {
			t.Errorf("%s guide header %q", tc.lang, rows[0])
		}
		for i, row := range rows {
			if len(row) == 0 || row[0] == "" || strings.HasPrefix(row[0], "{") {
				t.Errorf("%s guide row %d: %q", tc.lang, i+1, row)
			}
		}
	}
}
