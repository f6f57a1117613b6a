package ledger

import "strings"

// sheetBuilder turns rows, in order, into a Sheet: it finds the header,
// then keeps the data rows.
type sheetBuilder struct {
	sheet  *Sheet
	seqCol int               // the column of 序号, ignored when telling blank rows
	second bool              // the row after the header may still be its second row
	known  func(string) bool // recognised header cells; nil: the ledger's
}

// isKnown reports whether a cell names a column the reader recognises.
func (b *sheetBuilder) isKnown(c string) bool {
	if b.known != nil {
		return b.known(c)
	}
	_, ok := lookupHeader(c)
	return ok
}

func (b *sheetBuilder) finish(noHeader error) (*Sheet, error) {
	if b.sheet == nil {
		return nil, noHeader
	}
	return b.sheet, nil
}

func (b *sheetBuilder) add(number int, cells []string) error {
	cells = cleanCells(cells)
	if len(cells) == 0 {
		b.second = false
		return nil
	}
	if b.sheet == nil {
		if b.countKnown(cells) >= 2 {
			b.sheet = &Sheet{Header: cells, HeaderRow: number}
			b.second = true
			b.seqCol = -1
			for i, h := range cells {
				if normHeader(h) == "序号" {
					b.seqCol = i
				}
			}
		}
		return nil
	}
	s := b.sheet
	if b.second && number == s.HeaderRow+1 && b.isSecondHeader(s.Header, cells) {
		s.Header = b.mergeHeaders(s.Header, cells)
		s.HeaderRow = number
		b.second = false
		return nil
	}
	b.second = false
	if b.blank(cells) || isTotals(cells) {
		return nil
	}
	if len(s.Rows) >= MaxRows {
		return errTooManyRows()
	}
	s.Rows = append(s.Rows, Row{Number: number, Cells: cells})
	return nil
}

// blank reports a row with nothing but, perhaps, its sequence number.
func (b *sheetBuilder) blank(cells []string) bool {
	for i, c := range cells {
		if c != "" && i != b.seqCol {
			return false
		}
	}
	return true
}

// cleanCells trims every cell, expands numbers Excel wrote in exponent
// form when no digit was lost, and drops trailing empty cells; a row with
// nothing in it becomes empty.
func cleanCells(cells []string) []string {
	last := -1
	for i, c := range cells {
		c = strings.TrimFunc(c, isTrimmed)
		if c != "" && (strings.ContainsAny(c, "Ee")) {
			if d, exact, ok := expandNumber(c); ok && exact {
				c = d
			}
		}
		cells[i] = c
		if c != "" {
			last = i
		}
	}
	return cells[:last+1]
}

func isTrimmed(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u3000', '\u200b', '\ufeff', '\u2002', '\u2003':
		return true
	}
	return false
}

func (b *sheetBuilder) countKnown(cells []string) int {
	n := 0
	for _, c := range cells {
		if b.isKnown(c) {
			n++
		}
	}
	return n
}

// isSecondHeader reports whether next is the lower row of a two-row
// header: it names at least two fields, each under a cell of the upper row
// that is empty or unknown (a merged group title such as 家庭成员情况).
func (b *sheetBuilder) isSecondHeader(upper, next []string) bool {
	n := 0
	for i, c := range next {
		if !b.isKnown(c) {
			continue
		}
		if i < len(upper) {
			if b.isKnown(upper[i]) {
				return false
			}
		}
		n++
	}
	return n >= 2
}

func (b *sheetBuilder) mergeHeaders(upper, lower []string) []string {
	out := make([]string, max(len(upper), len(lower)))
	copy(out, upper)
	for i, c := range lower {
		if c == "" {
			continue
		}
		if i < len(upper) {
			if b.isKnown(upper[i]) {
				continue
			}
		}
		out[i] = c
	}
	return out
}

// isTotals reports a totals row: its first non-empty cell says 合计.
func isTotals(cells []string) bool {
	for _, c := range cells {
		if c == "" {
			continue
		}
		n := normHeader(c)
		return strings.HasPrefix(n, "合计") || strings.HasPrefix(n, "总计") || strings.HasPrefix(n, "小计")
	}
	return false
}
