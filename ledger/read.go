package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"safetynet"
	"safetynet/textenc"
)

// Sheet is the content of a ledger file: its header and its data rows.
type Sheet struct {
	Header    []string // the header's cells, trimmed
	HeaderRow int      // 1-based row of the header (its second row if it spans two)
	Rows      []Row    // data rows below the header, blank and totals rows left out
}

// Row is one data row.
type Row struct {
	Number int      // 1-based row number in the file, as Excel shows it
	Cells  []string // trimmed; trailing empty cells may be missing
}

// Cell returns the cell in column col, "" if there is none.
func (r Row) Cell(col int) string {
	if col < 0 || col >= len(r.Cells) {
		return ""
	}
	return r.Cells[col]
}

// Limits of Read.
const (
	MaxRows        = 200_000  // data rows in one file
	MaxCSVBytes    = 64 << 20 // size of a CSV file
	HeaderScanRows = 10       // the header must be among the first rows
	maxUnzipped    = 1 << 30  // total unzipped size of an .xlsx
)

// Read reads a ledger from an .xlsx or .csv file. See the package
// documentation for the rules. Problems with the file as a whole are
// *safetynet.Error values; problems with single cells are left to Build.
func Read(fileName string, data []byte) (*Sheet, error) {
	return ReadWith(fileName, data, nil)
}

// ReadWith is Read for spreadsheets of another kind (a department's
// data): known says whether a cell is a header the caller recognises, and
// the header is the first row with two of them. A nil known recognises
// the ledger's headers.
func ReadWith(fileName string, data []byte, known func(header string) bool) (*Sheet, error) {
	switch strings.ToLower(filepath.Ext(fileName)) {
	case ".xlsx", ".xlsm":
		return readXLSX(data, known)
	case ".csv":
		return readCSV(data, known)
	case ".xls", ".et", ".wps":
		return nil, safetynet.Invalid("file", "不支持旧版 Excel（.xls）格式，请在 Excel 中“另存为” .xlsx 后再上传",
			"old Excel (.xls) files are not supported: save the file as .xlsx and upload it again")
	}
	return nil, safetynet.Invalid("file", "只能导入 .xlsx 或 .csv 文件", "only .xlsx and .csv files can be imported")
}

func errUnreadable() error {
	return safetynet.Invalid("file", "无法读取该文件，请确认它是 Excel（.xlsx）文件且没有设置密码",
		"the file cannot be read: make sure it is an Excel (.xlsx) file without a password")
}

func errNoHeader() error {
	return safetynet.Invalid("file", "找不到表头：前%d行中没有一行包含至少两个可识别的列名（如“姓名”“身份证号”“与户主关系”）",
		"no header found: none of the first %d rows holds two known column names (such as 姓名, 身份证号, 与户主关系)", HeaderScanRows)
}

func errTooManyRows() error {
	return safetynet.Invalid("file", "文件超过%d行数据，请拆分成几个文件分批导入",
		"the file holds more than %d data rows: split it and import the parts one by one", MaxRows)
}

// readXLSX reads with the fast reader, and with excelize's row iterator
// the files the fast reader does not understand.
func readXLSX(data []byte, known func(string) bool) (*Sheet, error) {
	s, err := readXLSXFastWith(data, known)
	if !errors.Is(err, errNotFast) {
		return s, err
	}
	return readXLSXExcelizeWith(data, known)
}

func readXLSXExcelize(data []byte) (*Sheet, error) { return readXLSXExcelizeWith(data, nil) }

func readXLSXExcelizeWith(data []byte, known func(string) bool) (*Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:   maxUnzipped,
		ShortDatePattern: "yyyy-mm-dd",
		CultureInfo:      excelize.CultureNameZhCN,
	})
	if err != nil {
		return nil, errUnreadable()
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		s, err := readXLSXSheet(f, name, known)
		if errors.Is(err, errSkipSheet) {
			continue
		}
		return s, err
	}
	return nil, errNoHeader()
}

// errSkipSheet says a worksheet holds no header: Read tries the next one.
var errSkipSheet = errors.New("ledger: no header in this sheet")

func readXLSXSheet(f *excelize.File, name string, known func(string) bool) (*Sheet, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, errSkipSheet // a chart sheet or a damaged part
	}
	defer rows.Close()
	b := sheetBuilder{known: known}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return nil, errUnreadable()
		}
		if err := b.add(n, cells); err != nil {
			return nil, err
		}
		if b.sheet == nil && n >= HeaderScanRows {
			return nil, errSkipSheet
		}
	}
	if rows.Error() != nil {
		return nil, errUnreadable()
	}
	return b.finish(errSkipSheet)
}

func readCSV(data []byte, known func(string) bool) (*Sheet, error) {
	text, err := textenc.ToUTF8(bytes.NewReader(data), MaxCSVBytes)
	if err != nil {
		return nil, safetynet.Invalid("file", "无法读取该 CSV 文件（文件过大或编码无法识别）",
			"the CSV file cannot be read (too large, or neither UTF-8 nor GBK)")
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	b := sheetBuilder{known: known}
	embedded := 0 // line breaks inside earlier records: Excel shows a record as one row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, safetynet.Invalid("file", "CSV 文件第%d行格式错误", "the CSV file is malformed at line %d", line)
		}
		line, _ := r.FieldPos(0)
		if err := b.add(line-embedded, rec); err != nil {
			return nil, err
		}
		for _, c := range rec {
			embedded += strings.Count(c, "\n")
		}
		if b.sheet == nil && line-embedded >= HeaderScanRows {
			return nil, errNoHeader()
		}
	}
	return b.finish(errNoHeader())
}
