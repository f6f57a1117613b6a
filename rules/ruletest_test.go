package rules

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestRuleTestFile(t *testing.T) {
	e := mustEnv(t, Config{})
	data, err := os.ReadFile("testdata/fuyuan.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.ParseTestFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rules) != 2 || len(f.Rules[0].Examples) != 3 || f.Rules[0].Examples[1].Household.IncomeKnown {
		t.Fatalf("parsed %+v", f)
	}
	if h := f.Rules[1].Examples[2].Household; len(h.Measures) != 1 || h.Measures[0] != "disability" {
		t.Errorf("measure by label: %+v", h.Measures)
	}
	fails, err := e.RunTestFile(t.Context(), f)
	if err != nil || len(fails) != 0 {
		t.Fatalf("the examples should pass: %v %v", fails, err)
	}
	// A wrong rule fails its examples, naming them.
	f.Rules[0].Rule = `h.income_per_capita <= params.dibao_line || h.has("特困供养")`
	fails, err = e.RunTestFile(t.Context(), f)
	if err != nil || len(fails) != 1 || fails[0].Example != "特困户" || fails[0].Rule != "低保 应享" || fails[0].Want {
		t.Fatalf("failures of a wrong rule: %v %v", fails, err)
	}
	if s := fails[0].String(); !strings.Contains(s, "特困户") {
		t.Errorf("failure text %q", s)
	}
	f.Rules[1].Rule = `h.members.exists(m, m.grade > 0)`
	if _, err := e.RunTestFile(t.Context(), f); err == nil || !strings.Contains(err.Error(), "残疾人两项补贴") {
		t.Errorf("a rule that does not compile: %v", err)
	}
}

func TestRuleTestFileErrors(t *testing.T) {
	e := mustEnv(t, Config{})
	tests := []struct {
		name, src string
		line      int
		field     string
	}{
		{"syntax", "{\n \"rules\": [\n  {\"rule\": \"h.size > 1\",,}\n ]\n}", 3, ""},
		{"unknown field", "{\n \"rules\": [{\"rule\": \"h.size > 1\",\n  \"exampels\": []}]\n}", 3, "exampels"},
		{"wrong type", "{\"rules\": [{\"rule\": \"h.size > 1\", \"examples\": [\n {\"expect\": true, \"household\": {\"income_per_capita\": \"4200\"}}]}]}", 2, "rules.examples.household.income_per_capita"},
		{"no rules", "{}", 1, "rules"},
		{"empty rule", "{\"rules\": [{\"name\": \"x\",\n \"rule\": \"\"}]}", 2, "rules[0].rule"},
		{"expect missing", "{\"rules\": [{\"rule\": \"h.size > 1\", \"examples\": [\n{\"name\": \"a\", \"household\": {}}]}]}", 2, "rules[0].examples[0].expect"},
		{"unknown category", "{\"rules\": [{\"rule\": \"h.size > 1\", \"examples\": [\n{\"expect\": true, \"household\": {}},\n{\"expect\": true, \"household\": {\"categories\": [\"特困\", \"贫困\"]}}]}]}", 3, "rules[0].examples[1].household.categories"},
		{"unknown measure", "{\"rules\": [{\"rule\": \"h.size > 1\", \"examples\": [\n{\"expect\": true, \"household\": {\"measures\": [\"低保金\"]}}]}]}", 2, "rules[0].examples[0].household.measures"},
		{"undeclared parameter", "{\"params\": {\n\"dibao\": 1}, \"rules\": [{\"rule\": \"h.size > 1\"}]}", 2, "params.dibao"},
		{"parameter type", "{\"params\": {\"dibao_line\": \"5880\"},\n \"rules\": [{\"rule\": \"h.size > 1\"}]}", 1, "params.dibao_line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.ParseTestFile([]byte(tt.src))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want a FileError, got %v", err)
			}
			if fe.Line != tt.line || fe.Field != tt.field || fe.ZH == "" || fe.EN == "" {
				t.Errorf("got line %d field %q (%s / %s), want line %d field %q", fe.Line, fe.Field, fe.ZH, fe.EN, tt.line, tt.field)
			}
		})
	}
}
