package feeds

import (
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	id := validID(t, "19800101", "123")
	csv := "富源县医保局住院结算数据\n结算单号,参保人姓名,证件号码,入院日期,个人自付金额（元）\nJS1,王芳," + id + ",2026/3/4,\"20,500.00\"\nJS2,李四,123,2026/3/5,10\n"
	f, err := ReadFile("住院.csv", []byte(csv), Mapping{EventType: "hospitalisation"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Cells) != 2 || f.Numbers[0] != 3 || f.Mapping.Columns["结算单号"] != "row_key" || f.Mapping.Columns["证件号码"] != "id_number" {
		t.Fatalf("file: %+v", f)
	}
	if err := f.Mapping.Check(); err != nil {
		t.Fatal(err)
	}
	res := Check(f.Rows(f.Mapping), today)
	if res[0].Event == nil || res[0].Key != "JS1" || res[0].Event.Fields["oop_cost"] != int64(2050000) || res[0].No != 3 {
		t.Fatalf("row 3: %+v %+v", res[0], res[0].Problem)
	}
	if res[1].Problem == nil || res[1].Problem.Field != "id_number" || res[1].No != 4 {
		t.Fatalf("row 4: %+v", res[1])
	}
	if k := f.BatchKey(); !strings.HasPrefix(k, "住院.csv#") || len(k) > 128 {
		t.Errorf("batch key %q", k)
	}
	if _, err := ReadFile("x.csv", []byte("a,b\n1,2\n"), Mapping{}); err == nil {
		t.Error("a file without known headers was read")
	}
}
