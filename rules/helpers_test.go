package rules

import (
	"context"
	"testing"
)

// testMeasures is the default measure catalogue of the register.
var testMeasures = []Name{
	{Code: "dibao", ZH: "最低生活保障", EN: "minimum living allowance (dibao)"},
	{Code: "tekun", ZH: "特困人员供养", EN: "extreme-poverty support"},
	{Code: "temporary", ZH: "临时救助", EN: "temporary assistance"},
	{Code: "medical", ZH: "医疗救助", EN: "medical assistance"},
	{Code: "insurance", ZH: "惠民保", EN: "inclusive health insurance"},
	{Code: "disability", ZH: "残疾人两项补贴", EN: "the two disability subsidies"},
	{Code: "yulu", ZH: "雨露计划", EN: "vocational education subsidy (Yulu)"},
}

// testParams are 富源县's parameters of a year.
var testParams = Params{"dibao_line": 5880.0, "tekun_line": 7644.0, "monitoring_line": 7600.0, "elderly_age": 60}

func mustEnv(tb testing.TB, cfg Config) *Env {
	tb.Helper()
	if cfg.Measures == nil {
		cfg.Measures = testMeasures
	}
	e, err := NewEnv(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func mustCheck(tb testing.TB, e *Env, src string) *Program {
	tb.Helper()
	p, err := e.Check(src)
	if err != nil {
		tb.Fatalf("%s: %v", src, err)
	}
	return p
}

func eval(tb testing.TB, p *Program, h Household) Result {
	tb.Helper()
	return p.Eval(context.Background(), testParams, &h)
}

func member(age, grade int) Member {
	return Member{Age: age, AgeKnown: true, DisabilityGrade: grade, GradeKnown: true}
}

func income(yuan float64, cats ...string) Household {
	return Household{ID: 1, IncomePerCapita: yuan, IncomeKnown: true, IncomeYear: 2025, Categories: cats, Members: []Member{member(50, 0)}}
}
