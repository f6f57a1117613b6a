package feeds

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"safetynet/idcard"
)

var today = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// validID returns a valid ID number of 富源县 born on birth (YYYYMMDD).
func validID(t testing.TB, birth, seq string) string {
	t.Helper()
	first := "530325" + birth + seq
	c, err := idcard.CheckChar(first)
	if err != nil {
		t.Fatal(err)
	}
	return first + string(c)
}

func TestCheckRow(t *testing.T) {
	id := validID(t, "19800101", "123")
	bad := id[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", id[17])+1)%11])
	hosp := func(mod func(r *Row)) Row {
		r := Row{No: 1, Key: "k1", IDNumber: id, Name: "王芳", EventType: "住院", Date: "2026-03-04",
			Fields: map[string]string{"oop_cost": "20,500.5", "oop_ytd": "2.1万", "discharge_date": "20260310"}}
		if mod != nil {
			mod(&r)
		}
		return r
	}
	cases := []struct {
		name  string
		row   Row
		field string // "" = accepted
		want  map[string]any
	}{
		{"hospital stay", hosp(nil), "", map[string]any{"oop_cost": int64(2050050), "oop_ytd": int64(2100000), "discharge_date": "2026-03-10"}},
		{"type by code and Excel day", hosp(func(r *Row) { r.EventType = "hospitalisation"; r.Date = "46085" }), "", nil},
		{"slashes in the date", hosp(func(r *Row) { r.Date = "2026/3/4 08:30" }), "", nil},
		{"Chinese date", hosp(func(r *Row) { r.Date = "2026年3月4日" }), "", nil},
		{"bad check digit", hosp(func(r *Row) { r.IDNumber = bad }), "id_number", nil},
		{"missing ID", hosp(func(r *Row) { r.IDNumber = " " }), "id_number", nil},
		{"unknown type", hosp(func(r *Row) { r.EventType = "中彩票" }), "event_type", nil},
		{"bad date", hosp(func(r *Row) { r.Date = "2026-02-30" }), "date", nil},
		{"future date", hosp(func(r *Row) { r.Date = "2027-01-01" }), "date", nil},
		{"missing required", hosp(func(r *Row) { delete(r.Fields, "oop_cost") }), "oop_cost", nil},
		{"bad amount", hosp(func(r *Row) { r.Fields["oop_cost"] = "很多" }), "oop_cost", nil},
		{"negative amount", hosp(func(r *Row) { r.Fields["oop_cost"] = "-5" }), "oop_cost", nil},
		{"field of another type", hosp(func(r *Row) { r.Fields["grade"] = "2" }), "grade", nil},
		{"empty field of another type", hosp(func(r *Row) { r.Fields["grade"] = "" }), "", nil},
		{"missing key", hosp(func(r *Row) { r.Key = "" }), "row_key", nil},
		{"10 MB name", hosp(func(r *Row) { r.Name = strings.Repeat("王", 10<<20/3) }), "name", nil},
		{"NUL byte", hosp(func(r *Row) { r.Address = "腰站\x00社区" }), "address", nil},
		{"not UTF-8", hosp(func(r *Row) { r.Name = "\xcd\xf5\xb7\xbc" }), "name", nil},
		{"replacement character", hosp(func(r *Row) { r.Name = "王\ufffd" }), "name", nil},
		{"closed value by label", Row{Key: "h", IDNumber: id, EventType: "危房", Date: "2026-01-02", Fields: map[string]string{"rating": "D级危房"}}, "", map[string]any{"rating": "D"}},
		{"closed value unknown", Row{Key: "h", IDNumber: id, EventType: "危房", Date: "2026-01-02", Fields: map[string]string{"rating": "E"}}, "rating", nil},
		{"grade as 2级", Row{Key: "d", IDNumber: id, EventType: "残疾证", Date: "2026-01-02", Fields: map[string]string{"grade": "2级", "kind": "肢体"}}, "", map[string]any{"grade": int64(2), "kind": "physical"}},
		{"grade as 二级", Row{Key: "d", IDNumber: id, EventType: "残疾证", Date: "2026-01-02", Fields: map[string]string{"grade": "二级"}}, "", map[string]any{"grade": int64(2)}},
		{"death has no fields", Row{Key: "x", IDNumber: id, EventType: "死亡", Date: "2026-01-02"}, "", map[string]any{}},
		{"15-digit number converted", Row{Key: "x", IDNumber: "530325800101123", EventType: "死亡", Date: "2026-01-02"}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, p := CheckRow(c.row, today)
			if c.field == "" {
				if p != nil {
					t.Fatalf("rejected: %s (%s)", p.EN, p.Field)
				}
				if len(ev.IDNumber) != 18 || ev.Region != "530325" {
					t.Errorf("ID %q region %q", ev.IDNumber, ev.Region)
				}
				for k, v := range c.want {
					if ev.Fields[k] != v {
						t.Errorf("%s = %#v, want %#v", k, ev.Fields[k], v)
					}
				}
				return
			}
			if p == nil {
				t.Fatalf("accepted, want a problem with %s", c.field)
			}
			if p.Field != c.field || p.ZH == "" || p.EN == "" {
				t.Errorf("problem %+v, want field %s", p, c.field)
			}
			if len(p.ZH) > 300 || strings.Contains(p.ZH, id) || strings.Contains(p.EN, id) {
				t.Errorf("reason too long or holds the ID number: %.200s", p.EN)
			}
		})
	}
}

func TestCheckDuplicateKeys(t *testing.T) {
	id := validID(t, "19800101", "123")
	row := func(no int, key string) Row {
		return Row{No: no, Key: key, IDNumber: id, EventType: "death", Date: "2026-01-02"}
	}
	res := Check([]Row{row(1, "a"), row(2, "b"), row(3, " a "), row(4, "")}, today)
	if res[0].Event == nil || res[1].Event == nil {
		t.Fatalf("first rows rejected: %+v %+v", res[0].Problem, res[1].Problem)
	}
	if p := res[2].Problem; p == nil || p.Field != "row_key" || !strings.Contains(p.EN, "row 1") {
		t.Errorf("duplicate: %+v", p)
	}
	if p := res[3].Problem; p == nil || p.Field != "row_key" {
		t.Errorf("empty key: %+v", p)
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1": 100, "3,580.50": 358050, "¥3580元": 358000, "0.36万": 360000, "2.5E+4": 2500000, "0.005": 1, "12.344": 1234} {
		if got, ok := ParseYuan(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ".", "-1", "1.2.3", "abc", "1000000000", "1e20"} {
		if got, ok := ParseYuan(in); ok {
			t.Errorf("%q accepted as %d", in, got)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	id := validID(b, "19800101", "123")
	rows := make([]Row, 10000)
	for i := range rows {
		rows[i] = Row{No: i + 1, Key: "k" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa(i), IDNumber: id, Name: "王芳", EventType: "住院",
			Date: "2026-03-04", Address: "胜境街道腰站社区", Fields: map[string]string{"oop_cost": "20500", "oop_ytd": "30000", "total_cost": "41000.5"}}
	}
	b.ResetTimer()
	for range b.N {
		Check(rows, today)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
