package httpserver_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"safetynet/idcard"
)

// TestImportVillageRelations imports, on both databases, a ledger whose
// relations are written as village staff and the national monitoring
// system's exports write them; every member is saved with its relation.
func TestImportVillageRelations(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tok := e.token("village")
		rels := []struct{ text, code string }{
			{"户主本人", "head"}, {"配偶", "spouse"}, {"子女", "child"}, {"长子", "son"}, {"次女", "daughter"}, {"儿媳", "daughter_in_law"},
			{"孙子女", "grandchild"}, {"外孙女", "granddaughter"}, {"父母", "parent"}, {"岳母", "mother_in_law"},
			{"兄弟姐妹", "sibling"}, {"曾孙子女", "great_grandchild"}, {"之女婿", "son_in_law"},
		}
		var b strings.Builder
		b.WriteString("腰站社区防返贫监测对象台账\n序号,户编号,所属村组,户主姓名,姓名,与户主关系,身份证号码\n")
		for i, r := range rels {
			id := idcard.Generate(fixtureRand, "530325", time.Date(1940+4*i, 5, 5, 0, 0, 0, 0, time.UTC), idcard.Female)
			fmt.Fprintf(&b, "%d,R001,棠梨湾居民小组,周大山,关系%02d,%s,%s\n", i+1, i, r.text, id)
		}
		r := e.upload(tok, "关系.csv", []byte(b.String()))
		var im struct {
			ID     int64
			Report struct {
				Errors []struct {
					Row            int
					Field, Message string
				}
			}
		}
		r.json(t, &im)
		if r.status != 201 || len(im.Report.Errors) != 0 {
			t.Fatalf("upload = %d %.600s", r.status, r.body)
		}
		if r := e.do("POST", fmt.Sprintf("/api/v1/imports/%d/commit", im.ID), tok, ""); r.status != 200 {
			t.Fatalf("commit = %d %.400s", r.status, r.body)
		}
		for i, rel := range rels {
			r := e.do("GET", fmt.Sprintf("/api/v1/search?q=关系%02d", i), tok, "")
			if !strings.Contains(r.body, `"relation":"`+rel.code+`"`) {
				t.Errorf("%s: want relation %s: %.300s", rel.text, rel.code, r.body)
			}
		}
	})
}
