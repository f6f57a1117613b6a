package ledger

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"safetynet"
)

func TestReadXLSXTitleRow(t *testing.T) {
	data := xlsxFile(t, [][]any{
		{"腰站社区防返贫监测对象台账"},
		{},
		{"序号", "户编号", "所属村组", "姓名", "身份证号", "与户主关系"},
		{1, "001", "棠梨湾组", "王芳", idA, "户主"},
		{2, "", "", "李强", idC, "配偶"},
		{3},
		{},
		{"合计", "", "", "2人"},
	})
	saveFixture(t, "title-row.xlsx", data)
	s, err := Read("台账.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 3 || !reflect.DeepEqual(s.Header, []string{"序号", "户编号", "所属村组", "姓名", "身份证号", "与户主关系"}) {
		t.Fatalf("header = row %d %q", s.HeaderRow, s.Header)
	}
	want := []Row{
		{Number: 4, Cells: []string{"1", "001", "棠梨湾组", "王芳", idA, "户主"}},
		{Number: 5, Cells: []string{"2", "", "", "李强", idC, "配偶"}},
	}
	if !reflect.DeepEqual(s.Rows, want) {
		t.Errorf("rows = %v; want %v", s.Rows, want)
	}
}

func TestReadTwoRowHeader(t *testing.T) {
	data := xlsxFile(t, [][]any{
		{"户编号", "所属村组", "家庭成员情况", "", ""},
		{"", "", "姓名", "身份证号", "关系"},
		{"001", "腰站", "王芳", idA, "户主"},
	})
	s, err := Read("a.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 2 || !reflect.DeepEqual(s.Header, []string{"户编号", "所属村组", "姓名", "身份证号", "关系"}) {
		t.Errorf("header = row %d %q", s.HeaderRow, s.Header)
	}
	if len(s.Rows) != 1 || s.Rows[0].Number != 3 {
		t.Errorf("rows = %v", s.Rows)
	}
}

func TestReadHeadRowIsNotASecondHeader(t *testing.T) {
	// A head's row holds values that are also header names (户主,
	// 住房安全, 饮水安全): it is data, not a second header row.
	data := xlsxFile(t, strRows(
		[]string{"姓名", "与户主关系", "住房情况", "饮水情况"},
		[]string{"王芳", "户主", "住房安全", "饮水安全"},
	))
	s, err := Read("a.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 1 || len(s.Rows) != 1 {
		t.Errorf("header row %d, %d data rows; want 1, 1", s.HeaderRow, len(s.Rows))
	}
}

func TestReadCSV(t *testing.T) {
	text := "XX村台账\n\n姓名,身份证号,与户主关系\n王芳," + idA + ",户主\n\n\"李\n强\"," + idC + ",配偶\n张三,1.3812345678E+10,子\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8": text, "gbk": gbk, "bom": "\ufeff" + text} {
		t.Run(name, func(t *testing.T) {
			s, err := Read("台账.CSV", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if s.HeaderRow != 3 || s.Header[0] != "姓名" {
				t.Fatalf("header = row %d %q", s.HeaderRow, s.Header)
			}
			want := []Row{
				{Number: 4, Cells: []string{"王芳", idA, "户主"}},
				{Number: 6, Cells: []string{"李\n强", idC, "配偶"}},
				{Number: 7, Cells: []string{"张三", "13812345678", "子"}},
			}
			if !reflect.DeepEqual(s.Rows, want) {
				t.Errorf("rows = %v; want %v", s.Rows, want)
			}
		})
	}
}

func TestReadNumbersStoredAsNumbers(t *testing.T) {
	data := xlsxFile(t, [][]any{
		{"姓名", "身份证号", "联系电话"},
		{"王芳", int64(440524188001010014), int64(13812345678)},
		{"李强", 4.40524188001e17, 1.3812345678e10},
		{"张三", idA, "13812345678"},
	})
	s, err := Read("a.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Rows[:2] {
		if !lostDigits(r.Cell(1)) {
			t.Errorf("row %d: ID cell %q not seen as a number that lost digits", r.Number, r.Cell(1))
		}
		if r.Cell(2) != "13812345678" {
			t.Errorf("row %d: phone = %q; want 13812345678", i, r.Cell(2))
		}
	}
	if c := s.Rows[2].Cell(1); c != idA {
		t.Errorf("text ID = %q", c)
	}
	// Build reports the rows whose ID lost its last digits.
	hhs, errs := build(s, Options{DefaultPlace: "530302101001"})
	if len(errs) != 2 || errs[0].Row != 2 || errs[1].Row != 3 || errs[0].ZH != lostIDZH || errs[1].Field != "身份证号" {
		t.Errorf("errors:%s", errorsText(errs))
	}
	if len(hhs) != 1 || hhs[0].Row != 4 {
		t.Errorf("households = %q", shape(hhs))
	}
}

func TestReadSkipsSheetsWithoutHeader(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"填表说明：请按户填写"})
	f.NewSheet("台账")
	f.SetSheetRow("台账", "A1", &[]any{"姓名", "身份证号"})
	f.SetSheetRow("台账", "A2", &[]any{"王芳", idA})
	var buf bytes.Buffer
	f.WriteTo(&buf)
	f.Close()
	s, err := Read("a.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rows) != 1 || s.Rows[0].Cell(0) != "王芳" {
		t.Errorf("rows = %v", s.Rows)
	}
}

func TestReadDateCells(t *testing.T) {
	f := excelize.NewFile()
	short, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	custom := "yyyy\"年\"m\"月\"d\"日\""
	long, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "出生日期", "纳入时间"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"王芳", 29222, 45292})
	f.SetCellStyle("Sheet1", "B2", "B2", short)
	f.SetCellStyle("Sheet1", "C2", "C2", long)
	var buf bytes.Buffer
	f.WriteTo(&buf)
	f.Close()
	s, err := Read("a.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"1980-01-02", "2024-01-01"} {
		got := s.Rows[0].Cell(i + 1)
		if d, _, ok := parseDate(got); !ok || d.Format("2006-01-02") != want {
			t.Errorf("date cell %d = %q; want %s", i, got, want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	var many strings.Builder
	many.WriteString("姓名,身份证号\n")
	for i := 0; i <= MaxRows; i++ {
		fmt.Fprintf(&many, "人%d,\n", i)
	}
	tests := []struct {
		name, file string
		data       []byte
		zh         string
	}{
		{"old excel", "a.xls", []byte("x"), ".xls"},
		{"other type", "a.pdf", []byte("x"), "只能导入"},
		{"not a zip", "a.xlsx", []byte("not a zip"), "无法读取"},
		{"no header", "a.csv", []byte("a,b\n1,2\n"), "找不到表头"},
		{"header too low", "a.csv", []byte(strings.Repeat("x\n", 10) + "姓名,身份证号\n"), "找不到表头"},
		{"too many rows", "a.csv", []byte(many.String()), "拆分"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.file, tc.data)
			e := safetynet.AsError(err)
			if e == nil || e.Code != safetynet.EInvalid || !strings.Contains(e.ZH, tc.zh) {
				t.Errorf("Read error = %v; want an invalid error mentioning %q", err, tc.zh)
			}
		})
	}
}
