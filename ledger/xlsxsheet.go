package ledger

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// readSheet reads one worksheet into a sheetBuilder.
func (bk *fastBook) readSheet(name string) (*Sheet, error) {
	rc, err := bk.part(name)
	if err != nil {
		return nil, errSkipSheet
	}
	defer rc.Close()
	s := newXMLScanner(rc)
	b := sheetBuilder{known: bk.known}
	var cells []string
	var val []byte
	row, col := 0, 0
	typ, style := "", 0
	inV, inT, inRPh := false, false, false
	for s.next() {
		if inV || inT && !inRPh {
			val = append(val, s.text...)
		}
		k := s.kind()
		if k == 0 {
			continue
		}
		switch string(s.name()) {
		case "row":
			if k == '/' {
				if err := b.add(row, cells); err != nil {
					return nil, err
				}
				cells = make([]string, 0, len(cells))
				if b.sheet == nil && row >= HeaderScanRows {
					return nil, errSkipSheet
				}
				break
			}
			if r := atoiBytes(s.rawAttr("r")); r > row {
				row = r
			} else {
				row++
			}
			cells, col = cells[:0], 0
			if k == '.' {
				b.add(row, nil)
			}
		case "c":
			if k != '/' {
				col = cellColumn(s.rawAttr("r"), col+1)
				typ, style, val = cellType(s.rawAttr("t")), atoiBytes(s.rawAttr("s")), val[:0]
				break
			}
			if col < 1 || col > 16384 {
				return nil, errNotFast
			}
			v, err := bk.cellValue(typ, style, val)
			if err != nil {
				return nil, err
			}
			for len(cells) < col {
				cells = append(cells, "")
			}
			cells[col-1] = v
		case "v":
			inV = k == '<'
		case "t":
			inT = k == '<'
		case "rPh":
			inRPh = k == '<'
		case "sheetData":
			if k == '/' {
				return b.finish(errSkipSheet)
			}
		}
	}
	if s.err != io.EOF {
		return nil, errNotFast
	}
	return b.finish(errSkipSheet)
}

// cellValue renders a cell as excelize does for the formats ledgers use:
// numbers in full up to 15 significant digits and in exponent form beyond,
// dates as 2006-01-02.
func (bk *fastBook) cellValue(typ string, style int, raw []byte) (string, error) {
	switch typ {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		if err != nil || i < 0 || i >= len(bk.sst) {
			return "", errNotFast
		}
		return bk.sst[i], nil
	case "inlineStr", "str", "e":
		return unescape(raw), nil
	case "b":
		if string(raw) == "1" {
			return "TRUE", nil
		}
		return "FALSE", nil
	case "d":
		v := string(raw)
		return v[:min(10, len(v))], nil
	}
	v := string(bytes.TrimSpace(raw))
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || v == "" {
		return v, nil
	}
	if style >= 0 && style < len(bk.dates) && bk.dates[style] && f >= 0 && f < 2958466 {
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		switch {
		case bk.date1904:
			base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		case f < 61: // Excel's 29 February 1900
			base = base.AddDate(0, 0, 1)
		}
		return base.AddDate(0, 0, int(math.Floor(f))).Format("2006-01-02"), nil
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if style >= 0 && style < len(bk.fixed2) && bk.fixed2[style] && math.Abs(f) < 1e15 {
		s = strconv.FormatFloat(f, 'f', 2, 64) // as shown, without thousands separators
	} else if len(s)-strings.Count(s, ".") > 15 {
		s = strconv.FormatFloat(f, 'G', 15, 64)
	}
	return s, nil
}

// cellColumn returns the 1-based column of a reference such as "AB12", or
// next when the reference is missing.
func cellColumn(ref []byte, next int) int {
	if len(ref) == 0 {
		return next
	}
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			return col
		}
		if col > 16384 {
			return -1
		}
	}
	return col
}

// atoiBytes reads a small non-negative decimal number, -1 if there is none.
func atoiBytes(b []byte) int {
	if len(b) == 0 || len(b) > 9 {
		return -1
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// cellType interns the cell types so that reading them allocates nothing.
func cellType(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(b)
}
