package ledger

import (
	"archive/zip"
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFastReaderMatchesExcelize reads files of several shapes with both
// readers and expects the same sheet.
func TestFastReaderMatchesExcelize(t *testing.T) {
	richFile := func(t *testing.T) []byte {
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "备注", "在校生", "家庭人口"})
		f.SetSheetRow("Sheet1", "A3", &[]any{"  王芳 ", idA, "A&B <c> \"d\"", true, 3})
		f.SetCellRichText("Sheet1", "C4", []excelize.RichTextRun{{Text: "粗体"}, {Text: "和普通", Font: &excelize.Font{Bold: true}}})
		f.SetCellValue("Sheet1", "A4", "李强")
		f.SetCellFormula("Sheet1", "E4", `="4"`)
		f.SetCellValue("Sheet1", "A6", "赵六")
		f.SetCellValue("Sheet1", "D6", false)
		f.SetCellValue("Sheet1", "E6", 2.5)
		short, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		f.SetCellValue("Sheet1", "B6", 29222)
		f.SetCellStyle("Sheet1", "B6", "B6", short)
		var buf bytes.Buffer
		f.WriteTo(&buf)
		return buf.Bytes()
	}
	exported := func(t *testing.T) []byte {
		var buf bytes.Buffer
		if err := writeExport(&buf, bigExportRows(50)); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	template := func(t *testing.T) []byte {
		var buf bytes.Buffer
		if err := Template(&buf, "zh"); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"title row", func(t *testing.T) []byte {
			return xlsxFile(t, [][]any{{"台账"}, {}, {"姓名", "身份证号", "与户主关系"}, {"王芳", idA, "户主"}, {}, {"合计"}})
		}},
		{"numbers", func(t *testing.T) []byte {
			return xlsxFile(t, [][]any{{"姓名", "身份证号", "联系电话", "人均纯收入"}, {"王芳", int64(440524188001010014), int64(13812345678), 3580.5},
				{"李强", 4.40524188001e17, 1.3812345678e10, 1e-3}})
		}},
		{"rich text, entities, formulas, booleans, dates", richFile},
		{"inline strings", exported},
		{"two sheets", template},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data(t)
			fast, err := readXLSXFast(data)
			if err != nil {
				t.Fatalf("fast reader: %v", err)
			}
			slow, err := readXLSXExcelize(data)
			if err != nil {
				t.Fatalf("excelize reader: %v", err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("fast reader:\n%v\nexcelize:\n%v", fast, slow)
			}
		})
	}
}

// TestFastReaderPrefixes reads a worksheet whose elements carry a
// namespace prefix, as some .NET tools write them.
func TestFastReaderPrefixes(t *testing.T) {
	parts := map[string]string{
		"xl/workbook.xml": `<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<x:sheets><x:sheet name="台账" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">` +
			`<x:si><x:t>姓名</x:t></x:si><x:si><x:r><x:t>身份</x:t></x:r><x:r><x:t xml:space="preserve">证号</x:t></x:r><x:rPh><x:t>シン</x:t></x:rPh></x:si><x:si><x:t>王&amp;芳</x:t></x:si></x:sst>`,
		"xl/worksheets/sheet1.xml": `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row>` +
			`<!-- a comment with <tags> --><x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="C3" t="inlineStr"><x:is><x:t><![CDATA[a<b]]></x:t></x:is></x:c></x:row>` +
			`</x:sheetData></x:worksheet>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	s, err := readXLSXFast(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := &Sheet{Header: []string{"姓名", "身份证号"}, HeaderRow: 1, Rows: []Row{{Number: 3, Cells: []string{"王&芳", "", "a<b"}}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("sheet = %+v; want %+v", s, want)
	}
}

func TestFastReaderHelpers(t *testing.T) {
	for ref, want := range map[string]int{"A1": 1, "Z9": 26, "AA10": 27, "XFD1": 16384, "": 7} {
		if got := cellColumn([]byte(ref), 7); got != want {
			t.Errorf("cellColumn(%q) = %d; want %d", ref, got, want)
		}
	}
	for code, want := range map[string]bool{"yyyy-mm-dd": true, `yyyy"年"m"月"d"日"`: true, "0.00": false, `"day"0`: false, "[Red]0": false, "General": false, `\d0`: false} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v", code, got)
		}
	}
	if got := unescape([]byte("&lt;&#26377;&#x4E2D;_x000D_&amp;")); got != "<有中\r&" {
		t.Errorf("unescape = %q", got)
	}
}
