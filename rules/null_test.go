package rules

import (
	"errors"
	"slices"
	"testing"
)

func TestMissingValues(t *testing.T) {
	e := mustEnv(t, Config{})
	noIncome := Household{ID: 2, Members: []Member{member(50, 0)}}
	noIncomeTekun := noIncome
	noIncomeTekun.Categories = []string{"tekun"}
	noAge := Household{ID: 3, IncomePerCapita: 3000, IncomeKnown: true, Members: []Member{{DisabilityGrade: 1, GradeKnown: true}}}
	noAgeTwo := noAge
	noAgeTwo.Members = append([]Member{member(30, 2)}, noAge.Members...)
	tests := []struct {
		name    string
		rule    string
		h       Household
		matched bool
		missing []string
		err     bool
	}{
		{"missing income is not 0", `h.income_per_capita < params.dibao_line`, noIncome, false, []string{"人均收入"}, false},
		{"negation of a missing comparison does not hold either", `!(h.income_per_capita < params.dibao_line)`, noIncome, false, []string{"人均收入"}, false},
		{">= does not hold either", `h.income_per_capita >= params.dibao_line`, noIncome, false, []string{"人均收入"}, false},
		{"false && missing is false", `!h.has("特困供养") && h.income_per_capita < params.dibao_line`, noIncomeTekun, false, nil, false},
		{"true || missing is true", `h.has("特困供养") || h.income_per_capita < params.dibao_line`, noIncomeTekun, true, nil, false},
		{"has() tests presence", `!has(h.income_per_capita) || h.income_per_capita < 1.0`, noIncome, true, nil, false},
		{"income year missing with income", `h.income_year >= 2024`, noIncome, false, []string{"收入年度"}, false},
		{"member age missing", `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`, noAge, false, []string{"年龄"}, false},
		{"another member decides", `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`, noAgeTwo, true, nil, false},
		{"all with a missing age", `h.members.all(m, m.age < 100)`, noAgeTwo, false, []string{"年龄"}, false},
		{"missing in arithmetic is an error", `h.income_per_capita * 2.0 < params.dibao_line`, noIncome, false, nil, true},
		{"missing as a function argument is an error", `int(h.income_per_capita) < 5880`, noIncome, false, nil, true},
		{"grade missing", `h.members.exists(m, m.disability_grade == 0)`, Household{Members: []Member{{Age: 5, AgeKnown: true}}}, false, []string{"残疾等级"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := eval(t, mustCheck(t, e, tt.rule), tt.h)
			if r.Matched != tt.matched || !slices.Equal(r.Missing, tt.missing) || (r.Err != nil) != tt.err {
				t.Errorf("got %+v, want matched %v missing %v error %v", r, tt.matched, tt.missing, tt.err)
			}
		})
	}
}

func TestMissingParameter(t *testing.T) {
	e := mustEnv(t, Config{})
	p := mustCheck(t, e, `h.income_per_capita < params.monitoring_line`)
	h := income(100)
	r := p.Eval(t.Context(), Params{"dibao_line": 5880.0}, &h)
	var ee *EvalError
	if r.Matched || !errors.As(r.Err, &ee) || ee.ZH != "参数监测线未设置" {
		t.Errorf("a parameter without value: got %+v", r)
	}
	if ex := p.Explain(t.Context(), Params{}, &h); ex.ZH() != "参数监测线未设置" {
		t.Errorf("explanation of a parameter without value: %q", ex.ZH())
	}
	r = p.Eval(t.Context(), Params{"monitoring_line": "7600"}, &h)
	if r.Matched || r.Err == nil {
		t.Errorf("a parameter of the wrong type: got %+v", r)
	}
}

func TestParamChecks(t *testing.T) {
	if err := CheckParamValue(Param{Name: "dibao_line", ZH: "低保线", Type: TypeNumber}, "5880"); err == nil {
		t.Error("a text value was accepted for a number parameter")
	}
	if err := CheckParamValue(Param{Name: "elderly_age", ZH: "老年人年龄", Type: TypeInteger}, 60.5); err == nil {
		t.Error("60.5 was accepted for an integer parameter")
	}
	if err := CheckParamDecl(Param{Name: "Dibao Line", ZH: "低保线", Type: TypeNumber}); err == nil {
		t.Error("a parameter name with spaces was accepted")
	}
	if _, err := NewEnv(Config{Params: []Param{{Name: "x", ZH: "x", Type: TypeNumber}, {Name: "x", ZH: "y", Type: TypeText}}}); err == nil {
		t.Error("a parameter declared twice was accepted")
	}
}
