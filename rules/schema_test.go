package rules

import (
	"os"
	"strings"
	"testing"
	"time"

	"safetynet"
)

// TestSchema checks that every field the help shows can be used in a rule
// with its documented type, has both labels, and is in the package doc.
func TestSchema(t *testing.T) {
	e := mustEnv(t, Config{})
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	s := e.Schema()
	if d := Schema(); len(d.Household) != len(s.Household) || len(d.Params) != len(DefaultParams) {
		t.Errorf("package Schema differs: %+v", d)
	}
	if len(s.Household) < 10 || len(s.Member) < 15 || len(s.Params) != len(DefaultParams) || len(s.Functions) == 0 {
		t.Fatalf("schema too small: %+v", s)
	}
	sample := map[Type]string{TypeNumber: "1.5", TypeInteger: "1", TypeText: `"x"`, TypeBool: "true"}
	check := func(prefix string, f Field) {
		if f.ZH == "" || f.EN == "" || f.DocZH == "" || f.DocEN == "" {
			t.Errorf("%s%s lacks a label or doc", prefix, f.Name)
		}
		if !strings.Contains(string(doc), prefix+f.Name) {
			t.Errorf("the package doc does not list %s%s", prefix, f.Name)
		}
		x := prefix + f.Name
		src := x + " == " + sample[f.Type]
		if f.Type == TypeList {
			src = "size(" + x + ") >= 0"
		}
		if f.Type == TypeText && len(f.Vocab) > 0 {
			src = x + ` == "` + f.Vocab[0] + `"`
		}
		if prefix == "m." {
			src = "h.members.exists(m, " + src + ")"
		}
		if _, err := e.Check(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
	for _, f := range s.Household {
		check("h.", f)
	}
	for _, f := range s.Member {
		check("m.", f)
	}
	for _, p := range s.Params {
		check("params.", Field{Name: p.Name, ZH: p.ZH, EN: p.EN, Type: p.Type, DocZH: "-", DocEN: "-"})
	}
}

func TestHas(t *testing.T) {
	e := mustEnv(t, Config{})
	h := Household{Categories: []string{"tekun"}, Measures: []string{"disability"},
		Members: []Member{{Categories: []string{"disabled"}}}}
	for rule, want := range map[string]bool{
		`h.has("特困供养户")`:                     true,
		`h.has("五保户")`:                       true,
		`h.has("特困供养")`:                      true,
		`h.has("tekun")`:                     true,
		`h.has("残疾人两项补贴")`:                   true,
		`h.has("disability")`:                true,
		`h.has("低保户")`:                       false,
		`h.has("最低生活保障")`:                    false,
		`h.members.exists(m, m.has("残疾人"))`:  true,
		`h.members.exists(m, m.has("留守儿童"))`: false,
	} {
		if r := eval(t, mustCheck(t, e, rule), h); r.Matched != want || r.Err != nil {
			t.Errorf("%s: %+v, want %v", rule, r, want)
		}
	}
}

func TestFromRegister(t *testing.T) {
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	h := safetynet.Household{ID: 5, PlaceCode: "530325100001", IncomeFen: 420000, IncomeYear: 2025, Housing: "d_level",
		Categories: []safetynet.Assignment{{Category: "dibao"}, {Category: "tuopin", End: day.AddDate(0, -1, 0)}}}
	ps := []safetynet.Person{
		{ID: 1, Birth: time.Date(1950, 12, 1, 0, 0, 0, 0, time.UTC), Sex: "M", Relation: "head", Labour: "lost", Status: safetynet.StatusActive},
		{ID: 2, Sex: "F", Relation: "daughter", DisabilityGrade: 2, DisabilityKind: "physical", Status: safetynet.StatusActive,
			Categories: []safetynet.Assignment{{Category: "disabled"}}},
		{ID: 3, Birth: time.Date(1948, 1, 1, 0, 0, 0, 0, time.UTC), Relation: "spouse", Status: safetynet.StatusDeceased},
	}
	got := FromRegister(h, ps, []string{"dibao"}, day)
	if !got.IncomeKnown || got.IncomePerCapita != 4200 || got.Housing != "D级危房" || len(got.Categories) != 1 || got.Categories[0] != "dibao" {
		t.Errorf("household: %+v", got)
	}
	if len(got.Members) != 2 || len(got.Former) != 1 || !got.Former[0].Deceased {
		t.Fatalf("members %d former %d", len(got.Members), len(got.Former))
	}
	head, daughter := got.Members[0], got.Members[1]
	if head.Age != 75 || !head.AgeKnown || head.Sex != "男" || head.Relation != "户主" || head.Labour != "丧失劳动力" {
		t.Errorf("head: %+v", head)
	}
	if daughter.AgeKnown || daughter.DisabilityKind != "肢体残疾" || daughter.Relation != "女" || !hasCode(daughter.Categories, "disabled") {
		t.Errorf("daughter: %+v", daughter)
	}
	noIncome := FromRegister(safetynet.Household{ID: 6}, nil, nil, day)
	if noIncome.IncomeKnown {
		t.Error("a household without income year nor income has a known income of 0")
	}
}
