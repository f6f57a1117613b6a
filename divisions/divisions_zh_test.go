package divisions

import (
	"strings"
	"testing"

	"safetynet"
)

// TestChineseHeadingsAndLevels: a file written the way the Chinese import
// page shows it (代码,名称,级别,上级代码 and levels such as 县, 乡镇, 村)
// reads like one written with codes.
func TestChineseHeadingsAndLevels(t *testing.T) {
	rows, errs, err := Parse(strings.NewReader("代码,名称,级别,上级代码\n530325,富源县,县,5303\n530325002,胜境街道,乡镇,530325\n530325002009,腰站社区,村(社区),530325002\n"))
	if err != nil || len(errs) != 0 {
		t.Fatalf("err %v, row errors %+v", err, errs)
	}
	want := []safetynet.Level{safetynet.LevelCounty, safetynet.LevelTown, safetynet.LevelVillage}
	for i, r := range rows {
		if r.Level != want[i] || r.Name == "" || r.Code == "" {
			t.Errorf("row %d = %+v", i, r)
		}
	}
	if _, _, err := Parse(strings.NewReader("代码,名称,级别\n1,x,省\n")); err == nil || !strings.Contains(err.Error(), "上级代码") && !strings.Contains(err.Error(), "parent_code") {
		t.Errorf("missing column: %v", err)
	}
}
