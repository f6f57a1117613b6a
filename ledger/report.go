package ledger

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/idcard"
)

// WriteErrorReport writes errs as an .xlsx file: a note on masking, then
// one line per error with its row number, column and reason in lang ("zh"
// or "en") followed by the cells of that row of sheet, so that the user
// can find and fix it. Digit runs that may be ID numbers (15 to 18
// characters) or phone numbers (10 to 12 digits) are masked in the cells.
func WriteErrorReport(w io.Writer, errs []safetynet.RowError, sheet *Sheet, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	name := pick(lang, "错误清单", "Errors")
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fmt.Errorf("ledger: error report: %w", err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("ledger: error report: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	var header []string
	byNumber := map[int]int{}
	if sheet != nil {
		header = sheet.Header
		for i, r := range sheet.Rows {
			byNumber[r.Number] = i
		}
	}
	widths := []float64{8, 14, 50}
	for range header {
		widths = append(widths, 14)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("ledger: error report: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("ledger: error report: %w", err)
	}
	note := pick(lang,
		fmt.Sprintf("共%d个问题。为保护隐私，身份证号、电话号码只显示前后几位，中间用*隐去；请按行号在原文件中修改后重新导入。", len(errs)),
		fmt.Sprintf("%d problems. For privacy, ID and phone numbers show only their first and last digits (the middle is masked with *): fix the rows in your original file and import it again.", len(errs)))
	rows := [][]any{{note}}
	head := []any{
		excelize.Cell{StyleID: st.header, Value: pick(lang, "行号", "Row")},
		excelize.Cell{StyleID: st.header, Value: pick(lang, "列", "Column")},
		excelize.Cell{StyleID: st.header, Value: pick(lang, "原因", "Reason")},
	}
	for _, h := range header {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	rows = append(rows, head)
	for _, e := range errs {
		line := []any{e.Row, e.Field, e.Message(lang)}
		if i, ok := byNumber[e.Row]; ok {
			for _, c := range sheet.Rows[i].Cells {
				line = append(line, excelize.Cell{StyleID: st.text, Value: maskText(c)})
			}
		}
		rows = append(rows, line)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return fmt.Errorf("ledger: error report: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("ledger: error report: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("ledger: error report: %w", err)
	}
	return nil
}

// maskText masks the runs of digits in s that may be personal numbers:
// 15 to 18 characters (an ID number, perhaps ending in X) keep their first
// 4 and last 4, as idcard.Mask does; other runs of 10 or more digits (a
// phone number) keep their first 3 and last 4, as safetynet.MaskPhone does.
func maskText(s string) string {
	if !hasLongDigits(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && (s[j] == 'X' || s[j] == 'x') {
			j++
		}
		run := s[i:j]
		switch n := len(run); {
		case n >= 15:
			b.WriteString(idcard.Mask(run))
		case n >= 10:
			b.WriteString(safetynet.MaskPhone(run))
		default:
			b.WriteString(run)
		}
		i = j
	}
	return b.String()
}

func hasLongDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			if n++; n >= 10 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func pick(lang, zh, en string) string {
	if lang == "zh" {
		return zh
	}
	return en
}

// styles are the cell styles of the files this package writes.
type styles struct{ header, text, money int }

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	if st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		NumFmt:    49,
	}); err != nil {
		return st, fmt.Errorf("ledger: style: %w", err)
	}
	if st.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": text
		return st, fmt.Errorf("ledger: style: %w", err)
	}
	if st.money, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return st, fmt.Errorf("ledger: style: %w", err)
	}
	return st, nil
}
