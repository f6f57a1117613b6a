package rules

import (
	"strconv"
	"testing"
)

func TestLines(t *testing.T) {
	held := func(ms ...string) func(string) bool {
		return func(m string) bool {
			for _, x := range ms {
				if x == m {
					return true
				}
			}
			return false
		}
	}
	elig := Outcome{RuleID: 2, RuleVersion: 1, Measure: "dibao", Kind: KindEligibility, Matched: true, ZH: "人均收入 4,200 < 低保线 5,880"}
	exit := Outcome{RuleID: 3, RuleVersion: 2, Measure: "dibao", Kind: KindExit, Matched: true}
	tests := []struct {
		name     string
		outcomes []Outcome
		held     func(string) bool
		want     []string // list/measure/rule
	}{
		{"eligible not held", []Outcome{elig}, held(), []string{"eligible/dibao/2"}},
		{"eligible but held", []Outcome{elig}, held("dibao"), nil},
		{"not matched", []Outcome{{RuleID: 2, Measure: "dibao", Kind: KindEligibility}}, held(), nil},
		{"error never a line", []Outcome{{RuleID: 2, Measure: "dibao", Kind: KindEligibility, Matched: true, Err: "division by zero"}}, held(), nil},
		{"exit held", []Outcome{exit}, held("dibao"), []string{"exit/dibao/3"}},
		{"exit not held", []Outcome{exit}, held(), nil},
		{"two rules one line lowest id", []Outcome{{RuleID: 9, Measure: "dibao", Kind: KindEligibility, Matched: true}, elig}, held(), []string{"eligible/dibao/2"}},
		{"two measures", []Outcome{elig, {RuleID: 4, Measure: "disability", Kind: KindEligibility, Matched: true}}, held(),
			[]string{"eligible/dibao/2", "eligible/disability/4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines(tt.outcomes, tt.held)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i, l := range got {
				if s := l.List + "/" + l.Measure + "/" + strconv.FormatInt(l.RuleID, 10); s != tt.want[i] {
					t.Errorf("line %d = %s, want %s", i, s, tt.want[i])
				}
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	a := Household{ID: 1, IncomePerCapita: 4200, IncomeKnown: true, Categories: []string{"dibao", "monitor_marginal"},
		Members: []Member{{ID: 1, Age: 70, AgeKnown: true}, {ID: 2, Age: 40, AgeKnown: true}}}
	b := a
	b.Categories = []string{"monitor_marginal", "dibao"}
	b.Members = []Member{a.Members[1], a.Members[0]}
	if Fingerprint(&a) != Fingerprint(&b) {
		t.Error("order of categories or members changed the fingerprint")
	}
	tests := []struct {
		name   string
		change func(*Household)
	}{
		{"income", func(h *Household) { h.IncomePerCapita = 6000 }},
		{"income unknown", func(h *Household) { h.IncomeKnown = false }},
		{"category", func(h *Household) { h.Categories = []string{"dibao"} }},
		{"measure", func(h *Household) { h.Measures = []string{"dibao"} }},
		{"member age", func(h *Household) { h.Members = []Member{{ID: 1, Age: 71, AgeKnown: true}, a.Members[1]} }},
		{"member gone", func(h *Household) { h.Members = a.Members[:1] }},
		{"disability", func(h *Household) {
			h.Members = []Member{{ID: 1, Age: 70, AgeKnown: true, DisabilityGrade: 2}, a.Members[1]}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := a
			tt.change(&c)
			if Fingerprint(&c) == Fingerprint(&a) {
				t.Error("change did not change the fingerprint")
			}
		})
	}
}

func TestHolds(t *testing.T) {
	e, err := NewEnv(Config{Measures: []Name{{Code: "dibao", ZH: "低保"}, {Code: "disability", ZH: "残疾人两项补贴"}}})
	if err != nil {
		t.Fatal(err)
	}
	h := &Household{Categories: []string{"dibao"}}
	if !e.Holds(h, "dibao") {
		t.Error("dibao category does not hold the dibao measure")
	}
	if e.Holds(h, "disability") {
		t.Error("holds disability without it")
	}
	h.Measures = []string{"disability"}
	if !e.Holds(h, "disability") {
		t.Error("measure in force not held")
	}
}
