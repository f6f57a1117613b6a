package ledger

import (
	"bytes"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"safetynet"
)

// exportRows converts households the way an exporter of the register
// would: household values on every row of the household.
func exportRows(hhs []safetynet.LedgerHousehold, placeNames map[string]string) []ExportRow {
	var out []ExportRow
	for _, h := range hhs {
		var cats, risks []string
		for _, c := range h.Categories {
			if c.Category == safetynet.CatRisk {
				risks = append(risks, c.RiskType)
			} else {
				cats = append(cats, c.Category)
			}
		}
		for _, m := range h.Members {
			p := m.Person
			var pcats []string
			for _, c := range m.Categories {
				pcats = append(pcats, c.Category)
			}
			r := ExportRow{
				HouseholdNumber: h.Household.Number, Place: placeNames[h.Household.PlaceCode], PlaceCode: h.Household.PlaceCode,
				Address: h.Household.Address, HeadName: h.Members[0].Person.Name, Name: p.Name, IDNumber: p.IDNumber,
				Relation: p.Relation, Sex: p.Sex, Phone: p.Phone, FamilySize: len(h.Members),
				HouseholdCategories: cats, RiskTypes: risks, IncomeFen: h.Household.IncomeFen, IncomeYear: h.Household.IncomeYear,
				Housing: h.Household.Housing, Water: h.Household.Water, Health: p.Health, DisabilityKind: p.DisabilityKind,
				DisabilityGrade: p.DisabilityGrade, Education: p.Education, InSchool: p.InSchool, Labour: p.Labour, Work: p.Work,
				PersonCategories: pcats, Notes: h.Household.Notes,
			}
			if !p.Birth.IsZero() {
				r.Birth = p.Birth.Format("2006-01-02")
			}
			out = append(out, r)
		}
	}
	return out
}

func TestExportRoundTrip(t *testing.T) {
	original := sheetOf([]string{"户编号", "所属村组", "家庭住址", "姓名", "身份证号", "与户主关系", "出生日期", "联系电话", "户类型",
		"风险类型", "人均纯收入", "收入年度", "住房", "饮水", "健康状况", "残疾类别", "残疾等级", "文化程度", "在校生", "劳动技能",
		"务工情况", "人员类别", "备注"},
		[]string{"001", "腰站棠梨湾", "棠梨湾12号", "王芳", idA, "户主", "", "13812345678", "脱贫户、边缘易致贫户", "因病、因残", "3580.5", "2023",
			"C级危房", "供水不足", "长期慢性病", "肢体残疾", "二级", "小学", "否", "弱劳动力", "", "留守老人、残疾人", "低保边缘"},
		[]string{"001", "", "", "王小明", "", "孙子", "2015-09-01", "", "", "", "", "", "", "", "健康", "", "", "小学", "是", "无劳动力", "", "留守儿童", ""},
		[]string{"", "新村1组", "", "赵六", idD, "户主", "", "", "一般农户", "", "", "", "", "", "", "", "", "初中", "", "普通劳动力", "在县城务工", "", ""},
		[]string{"", "", "", "钱七", idE, "子", "", "13900001111", "", "", "", "", "", "", "", "", "", "本科", "", "技能劳动力", "", "", ""},
	)
	places := NewPlaceIndex(testPlaces())
	opt := Options{Today: today}
	want, errs := Build(original, Detect(original.Header), places, opt)
	if len(errs) > 0 || len(want) != 2 {
		t.Fatalf("%d households, errors:%s", len(want), errorsText(errs))
	}
	names := map[string]string{}
	for _, p := range testPlaces() {
		names[p.Code] = label(p.Path)
	}
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			e, err := NewExport(&buf, lang)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range exportRows(want, names) {
				if err := e.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			saveFixture(t, "export-"+lang+".xlsx", buf.Bytes())
			s, err := Read("export.xlsx", buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			m := Detect(s.Header)
			if len(m) != len(ExportColumns) || len(m.Missing()) > 0 {
				t.Errorf("mapping of the export = %v", m)
			}
			got, errs := Build(s, m, places, opt)
			if len(errs) > 0 {
				t.Fatalf("errors:%s", errorsText(errs))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
			// Without the code column the names resolve to the same places.
			delete(m, FieldPlaceCode)
			if got, errs := Build(s, m, places, opt); len(errs) > 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("round trip by place names: errors%s", errorsText(errs))
			}
		})
	}
}

func TestExportCells(t *testing.T) {
	var buf bytes.Buffer
	e, err := NewExport(&buf, "zh")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(ExportRow{Name: "王芳", IDNumber: idB, Phone: "13812345678", IncomeFen: 358050, DisabilityGrade: 2}); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(ExportRow{}); err == nil {
		t.Error("Write after Close succeeded")
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	col := func(fl Field) string {
		for i, c := range ExportColumns {
			if c == fl {
				name, _ := excelize.CoordinatesToCellName(i+1, 2)
				return name
			}
		}
		t.Fatalf("no column %s", fl)
		return ""
	}
	for _, fl := range []Field{FieldIDNumber, FieldPhone} {
		typ, err := f.GetCellType("台账", col(fl))
		if err != nil || typ != excelize.CellTypeInlineString {
			t.Errorf("%s cell type = %v, %v; want a string", fl, typ, err)
		}
	}
	for fl, want := range map[Field]string{FieldIDNumber: idB, FieldIncome: "3580.50", FieldDisabilityGrade: "二级", FieldInSchool: "否"} {
		if got, _ := f.GetCellValue("台账", col(fl)); got != want {
			t.Errorf("%s = %q; want %q", fl, got, want)
		}
	}
	panes, err := f.GetPanes("台账")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
}

func TestTemplate(t *testing.T) {
	places := NewPlaceIndex([]Place{
		{Code: "v", Name: "示例村", Level: safetynet.LevelVillage, Path: []string{"示例村"}},
		{Code: "g", Name: "一组", Level: safetynet.LevelGroup, Path: []string{"示例村", "一组"}},
	})
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Template(&buf, lang); err != nil {
				t.Fatal(err)
			}
			saveFixture(t, "template-"+lang+".xlsx", buf.Bytes())
			s, err := Read("template.xlsx", buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			m := Detect(s.Header)
			if len(m.Missing()) > 0 || len(s.Rows) != 1 {
				t.Fatalf("missing %v, %d rows", m.Missing(), len(s.Rows))
			}
			opt := Options{Today: today}
			if lang == "en" {
				delete(m, FieldPlace) // the English example names no real place
				opt.DefaultPlace = "g"
			}
			hhs, errs := Build(s, m, places, opt)
			if len(errs) > 0 || len(hhs) != 1 || hhs[0].Household.PlaceCode != "g" || hhs[0].Members[0].Person.IDNumber != idA {
				t.Errorf("households %+v, errors:%s", hhs, errorsText(errs))
			}
			f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			defer f.Close()
			if n := len(f.GetSheetList()); n != 2 {
				t.Errorf("%d sheets; want the ledger and the guide", n)
			}
			checkGuide(t, f, lang)
		})
	}
}

func TestWriteErrorReport(t *testing.T) {
	s := sheetOf([]string{"姓名", "身份证号", "与户主关系", "联系电话", "所属村组"},
		[]string{"王芳", idA[:17] + "1", "户主", "13812345678", "腰站"},
		[]string{"李强", idC, "邻居", "", ""},
	)
	_, errs := build(s, Options{})
	if len(errs) != 2 {
		t.Fatalf("errors:%s", errorsText(errs))
	}
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteErrorReport(&buf, errs, s, lang); err != nil {
				t.Fatal(err)
			}
			saveFixture(t, "errors-"+lang+".xlsx", buf.Bytes())
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 4 || !strings.Contains(rows[0][0], pick(lang, "隐去", "masked")) {
				t.Fatalf("rows = %q", rows)
			}
			if want := []string{pick(lang, "行号", "Row"), pick(lang, "列", "Column"), pick(lang, "原因", "Reason"), "姓名"}; !reflect.DeepEqual(rows[1][:4], want) {
				t.Errorf("header = %q; want %q", rows[1], want)
			}
			first := rows[2]
			if first[0] != "2" || first[1] != "身份证号" || first[3] != "王芳" || first[4] != "1101**********0021" || first[6] != "138****5678" {
				t.Errorf("first error line = %q", first)
			}
			if rows[3][0] != "3" || rows[3][1] != "与户主关系" || rows[3][4] != "3710**********2394" {
				t.Errorf("second error line = %q", rows[3])
			}
			full := regexp.MustCompile(`[0-9]{10,}`)
			for _, r := range rows {
				for _, c := range r {
					if full.MatchString(c) {
						t.Errorf("unmasked number in %q", c)
					}
				}
			}
		})
	}
}

// checkGuide reads the guide sheet back: a styled header in lang, then one
// row per column with its label and what it accepts; no cell holds a Go
// value's syntax such as "{1  Column}".
func checkGuide(t *testing.T, f *excelize.File, lang string) {
	t.Helper()
	name := pick(lang, "填写说明", "How to fill in")
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{pick(lang, "列", "Column"), pick(lang, "说明和可填的值", "Values accepted")}
	if len(rows) < 2 || !slices.Equal(rows[0], want) {
		t.Fatalf("guide header %q, want %q", rows[:min(1, len(rows))], want)
	}
	if st, err := f.GetCellStyle(name, "A1"); err != nil || st == 0 {
		t.Errorf("guide header unstyled: %d %v", st, err)
	}
	if len(rows) != len(ExportColumns)+2 {
		t.Errorf("guide has %d rows, want a header and %d columns", len(rows), len(ExportColumns)+1)
	}
	for i, r := range rows {
		for _, c := range r {
			if strings.HasPrefix(c, "{") {
				t.Errorf("guide row %d holds %q", i+1, c)
			}
		}
	}
	for i, c := range ExportColumns {
		if rows[i+1][0] != c.Label(lang) {
			t.Errorf("guide row %d names %q, want %q", i+2, rows[i+1][0], c.Label(lang))
		}
		if c == FieldRelation && (len(rows[i+1]) < 2 || !strings.Contains(rows[i+1][1], safetynet.Relations.Label("child", lang))) {
			t.Errorf("guide row for the relation: %q", rows[i+1])
		}
	}
}
