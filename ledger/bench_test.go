package ledger

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// bigHeader has 25 columns, as wide ledgers do.
var bigHeader = []string{"序号", "户编号", "所属村组", "家庭住址", "户主姓名", "姓名", "身份证号", "与户主关系", "性别", "联系电话",
	"家庭人口", "监测对象类型", "风险类型", "人均纯收入（元）", "住房安全", "饮水安全", "健康状况", "残疾类别", "残疾等级",
	"文化程度", "在校生", "劳动技能", "务工情况", "人员类别", "备注"}

// bigSheet makes n person rows in households of four.
func bigSheet(n int) *Sheet {
	places := []string{"腰站社区棠梨湾组", "腰站一组", "新村1组", "新村东片网格"}
	rels := []string{"户主", "配偶", "子", "女"}
	s := &Sheet{Header: bigHeader, HeaderRow: 1, Rows: make([]Row, 0, n)}
	for i := range n {
		hh := i / 4
		head := i%4 == 0
		cells := []string{fmt.Sprint(i + 1), fmt.Sprintf("H%06d", hh), "", "", "", fmt.Sprintf("人员%d", i), nthID(i), rels[i%4], "", "",
			"", "", "", "", "", "", "健康", "", "", "初中", "否", "普通劳动力", "务工", "", ""}
		if head {
			cells[2], cells[3], cells[4] = places[hh%len(places)], "某某路12号", cells[5]
			cells[9], cells[10], cells[11], cells[12] = "13812345678", "4", "脱贫户、边缘易致贫户", "因病、因残"
			cells[13], cells[14], cells[15], cells[24] = "6,580.50", "安全", "安全", "无"
		}
		s.Rows = append(s.Rows, Row{Number: i + 2, Cells: cells})
	}
	return s
}

func BenchmarkBuild100k(b *testing.B) {
	s := bigSheet(100_000)
	places := NewPlaceIndex(testPlaces())
	m := Detect(s.Header)
	b.ResetTimer()
	for b.Loop() {
		hhs, errs := Build(s, m, places, Options{Today: today})
		if len(errs) > 0 || len(hhs) != 25_000 {
			b.Fatalf("%d households, errors:%s", len(hhs), errorsText(errs[:min(5, len(errs))]))
		}
	}
}

func bigExportRows(n int) []ExportRow {
	rows := make([]ExportRow, n)
	for i := range rows {
		id := nthID(i)
		sex := "F"
		if (id[16]-'0')%2 == 1 {
			sex = "M"
		}
		rows[i] = ExportRow{HouseholdNumber: fmt.Sprintf("H%06d", i/4), Place: "腰站社区居民委员会/棠梨湾居民小组", PlaceCode: "530302101001-01",
			Address: "某某路12号", HeadName: "人员", Name: fmt.Sprintf("人员%d", i), IDNumber: id, Relation: []string{"head", "spouse", "son", "daughter"}[i%4],
			Sex: sex, Birth: id[6:10] + "-" + id[10:12] + "-" + id[12:14], Phone: "13812345678", FamilySize: 4, HouseholdCategories: []string{"tuopin", "monitor_marginal"},
			RiskTypes: []string{"illness", "disability"}, IncomeFen: 658050, IncomeYear: 2024, Housing: "safe", Water: "safe", Health: "healthy",
			Education: "junior", Labour: "normal", Work: "务工", PersonCategories: []string{"left_behind_elderly"}, Notes: "无"}
	}
	return rows
}

func writeExport(w io.Writer, rows []ExportRow) error {
	e, err := NewExport(w, "zh")
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := e.Write(r); err != nil {
			return err
		}
	}
	return e.Close()
}

func BenchmarkExport100k(b *testing.B) {
	rows := bigExportRows(100_000)
	b.ResetTimer()
	for b.Loop() {
		if err := writeExport(io.Discard, rows); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead100k(b *testing.B) {
	var buf bytes.Buffer
	if err := writeExport(&buf, bigExportRows(100_000)); err != nil {
		b.Fatal(err)
	}
	b.Logf("file of %d MB", buf.Len()>>20)
	b.ResetTimer()
	for b.Loop() {
		s, err := Read("big.xlsx", buf.Bytes())
		if err != nil || len(s.Rows) != 100_000 {
			b.Fatalf("Read: %v", err)
		}
	}
}
