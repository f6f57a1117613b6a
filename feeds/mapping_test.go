package feeds

import (
	"testing"
)

func TestDetectAndRows(t *testing.T) {
	header := []string{"序号", "参保人姓名", "公民身份号码", "入院日期", "个人自付金额（元）", "年度累计自付", "家庭住址", "备注"}
	m := Detect(header, Mapping{})
	want := map[string]string{"参保人姓名": "name", "公民身份号码": "id_number", "入院日期": "date", "个人自付金额": "oop_cost",
		"年度累计自付": "oop_ytd", "家庭住址": "address", "序号": "", "备注": ""}
	for h, f := range want {
		if got := m.Columns[NormHeader(h)]; got != f {
			t.Errorf("%s → %q, want %q", h, got, f)
		}
	}
	if err := m.Check(); err == nil {
		t.Fatal("a mapping without an event type passed")
	}
	m.EventType = "hospitalisation"
	if err := m.Check(); err != nil {
		t.Fatal(err)
	}
	id := validID(t, "19800101", "123")
	rows := m.Rows(header, []int{3, 4}, [][]string{{"1", "王芳", id, "2026-03-04", "2000", "21000", "腰站社区"}, {"2", "李四"}})
	r := rows[0]
	if r.No != 3 || r.Key != "3" || r.Name != "王芳" || r.IDNumber != id || r.EventType != "hospitalisation" || r.Fields["oop_ytd"] != "21000" || r.Address != "腰站社区" {
		t.Errorf("row: %+v", r)
	}
	if ev, p := CheckRow(r, today); p != nil || ev.Fields["oop_cost"] != int64(200000) {
		t.Errorf("checked: %+v %+v", ev, p)
	}
	if _, p := CheckRow(rows[1], today); p == nil || p.Field != "id_number" {
		t.Errorf("short row: %+v", p)
	}
}

func TestSavedMappingWins(t *testing.T) {
	header := []string{"证件号", "时间", "金额", "人员类别"}
	saved := Mapping{Columns: map[string]string{"时间": "date", "金额": "oop_cost", "人员类别": ""}, EventType: "outpatient_large"}
	m := Detect(header, saved)
	if m.Columns["证件号"] != "id_number" || m.Columns["时间"] != "date" || m.Columns["金额"] != "oop_cost" || m.EventType != "outpatient_large" {
		t.Errorf("mapping: %+v", m)
	}
	if err := m.Check(); err != nil {
		t.Error(err)
	}
	m.Columns["人员类别"] = "date"
	if err := m.Check(); err == nil {
		t.Error("two columns for the date passed")
	}
	m.Columns["人员类别"] = "salary"
	if err := m.Check(); err == nil {
		t.Error("an unknown field passed")
	}
}
