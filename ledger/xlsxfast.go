package ledger

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
)

// The fast reader reads the worksheets of an .xlsx file with xmlScanner,
// about ten times faster than excelize's row iterator, which is kept as
// the fallback for any file the fast reader does not understand.

// errNotFast says the fast reader cannot read a file.
var errNotFast = errors.New("ledger: the fast reader cannot read this file")

type fastBook struct {
	files    map[string]*zip.File
	sheets   []string // worksheet parts in workbook order
	sst      []string
	dates    []bool // per cell style: a date format
	fixed2   []bool // per cell style: the built-in format 0.00 or #,##0.00
	date1904 bool
	budget   int64 // bytes left to unzip
	known    func(string) bool
}

func readXLSXFast(data []byte) (*Sheet, error) { return readXLSXFastWith(data, nil) }

func readXLSXFastWith(data []byte, known func(string) bool) (*Sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errNotFast
	}
	bk := &fastBook{files: map[string]*zip.File{}, budget: maxUnzipped, known: known}
	for _, f := range zr.File {
		bk.files[f.Name] = f
	}
	if err := bk.open(); err != nil {
		return nil, errNotFast
	}
	for _, p := range bk.sheets {
		s, err := bk.readSheet(p)
		if errors.Is(err, errSkipSheet) {
			continue
		}
		return s, err
	}
	return nil, errNoHeader()
}

// part opens a part of the package, within the unzip budget.
func (bk *fastBook) part(name string) (io.ReadCloser, error) {
	f, ok := bk.files[name]
	if !ok {
		return nil, errNotFast
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errNotFast
	}
	return struct {
		io.Reader
		io.Closer
	}{&budgetReader{r: rc, left: &bk.budget}, rc}, nil
}

type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if *b.left -= int64(n); *b.left < 0 {
		return n, errNotFast
	}
	return n, err
}

func (bk *fastBook) decode(name string, v any) error {
	rc, err := bk.part(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return errNotFast
	}
	return nil
}

// open reads the workbook, its relationships, the styles and the shared
// strings.
func (bk *fastBook) open() error {
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			ID string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := bk.decode("xl/workbook.xml", &wb); err != nil {
		return err
	}
	if err := bk.decode("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return err
	}
	bk.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	targets := map[string]string{}
	sstPart, stylesPart := "", ""
	for _, r := range rels.Rel {
		p := path.Clean("xl/" + r.Target)
		if strings.HasPrefix(r.Target, "/") {
			p = strings.TrimPrefix(path.Clean(r.Target), "/")
		}
		targets[r.ID] = p
		switch {
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sstPart = p
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPart = p
		}
	}
	for _, s := range wb.Sheets {
		if p, ok := targets[s.ID]; ok {
			bk.sheets = append(bk.sheets, p)
		}
	}
	if stylesPart != "" {
		if err := bk.readStyles(stylesPart); err != nil {
			return err
		}
	}
	if sstPart != "" {
		return bk.readSST(sstPart)
	}
	return nil
}

func (bk *fastBook) readStyles(name string) error {
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmt int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := bk.decode(name, &st); err != nil {
		return err
	}
	custom := map[int]string{}
	for _, f := range st.NumFmts {
		custom[f.ID] = f.Code
	}
	bk.dates = make([]bool, len(st.Xfs))
	bk.fixed2 = make([]bool, len(st.Xfs))
	for i, x := range st.Xfs {
		bk.fixed2[i] = x.NumFmt == 2 || x.NumFmt == 4
		code, ok := custom[x.NumFmt]
		bk.dates[i] = ok && isDateFormat(code) || !ok && isDateNumFmt(x.NumFmt)
	}
	return nil
}

// isDateNumFmt reports the built-in number formats that show dates or times.
func isDateNumFmt(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58
}

// isDateFormat reports a custom number format that shows a date: it holds
// y or d outside quoted text, brackets and escapes.
func isDateFormat(code string) bool {
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == '\\':
			i++
		case c == 'y' || c == 'Y' || c == 'd' || c == 'D':
			return true
		}
	}
	return false
}

func (bk *fastBook) readSST(name string) error {
	rc, err := bk.part(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newXMLScanner(rc)
	var cur []byte
	inT, inRPh := false, false
	for s.next() {
		if inT && !inRPh {
			cur = append(cur, s.text...)
		}
		switch k, n := s.kind(), string(s.name()); {
		case k == '<' && n == "sst":
			if c, err := strconv.Atoi(s.attr("uniqueCount")); err == nil && c > 0 && c < 10_000_000 {
				bk.sst = make([]string, 0, c)
			}
		case k == '<' && n == "si":
			cur = cur[:0]
		case k == '/' && n == "si":
			bk.sst = append(bk.sst, unescape(cur))
		case k == '.' && n == "si":
			bk.sst = append(bk.sst, "")
		case n == "t":
			inT = k == '<'
		case n == "rPh":
			inRPh = k == '<'
		}
	}
	if s.err != io.EOF {
		return errNotFast
	}
	return nil
}
