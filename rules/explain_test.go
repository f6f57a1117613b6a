package rules

import (
	"testing"
)

func TestExplain(t *testing.T) {
	e := mustEnv(t, Config{})
	son := member(17, 1)
	son.Relation = "子"
	tests := []struct {
		name, rule string
		h          Household
		zh, en     string
	}{
		{"dibao matches", `h.income_per_capita < params.dibao_line && !h.has("特困供养")`, income(4200),
			"人均收入 4,200 < 低保线 5,880；无特困供养", "per-capita income 4,200 < dibao line 5,880; does not hold extreme-poverty support"},
		{"dibao does not match: only the failing condition", `h.income_per_capita < params.dibao_line && !h.has("特困供养")`, income(6000.5),
			"人均收入 6,000.5 ≥ 低保线 5,880", "per-capita income 6,000.5 ≥ dibao line 5,880"},
		{"held by tekun", `h.income_per_capita < params.dibao_line && !h.has("特困供养")`, income(4200, "tekun"),
			"有特困供养", "holds extreme-poverty support"},
		{"missing income", `h.income_per_capita < params.dibao_line && !h.has("特困供养")`, Household{},
			"人均收入未登记", "per-capita income not recorded"},
		{"or: the branch that held", `h.has("低保") || h.income_per_capita < 100.0`, income(50),
			"人均收入 50 < 100", "per-capita income 50 < 100"},
		{"disability subsidy", `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`, Household{Members: []Member{member(45, 0), son}},
			"在户成员中有人满足（残疾等级 属于 [1, 2] 且 年龄 ≥ 16）：子 17岁", "some of members with (disability grade in [1, 2] and age ≥ 16): son aged 17"},
		{"disability subsidy not matched", `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`, Household{Members: []Member{member(45, 3)}},
			"在户成员中无人满足（残疾等级 属于 [1, 2] 且 年龄 ≥ 16）", "none of members with (disability grade in [1, 2] and age ≥ 16)"},
		{"count", `h.count(m, m.age >= params.elderly_age) >= 2`, Household{Members: []Member{member(70, 0), member(40, 0)}},
			"满足（年龄 ≥ 老年人年龄）的在户成员人数（1） < 2", "members with (age ≥ elderly age) (1) < 2"},
		{"member category, no double parentheses", `h.members.exists(m, m.has("disabled") || m.disability_grade > 0)`, Household{Members: []Member{member(30, 2)}},
			"在户成员中有人满足（有残疾人 或 残疾等级 > 0）：成员 30岁", "some of members with (holds person with disability or disability grade > 0): member aged 30"},
		{"text not recorded", `h.housing == "D级危房"`, Household{},
			"住房情况 未登记 ≠ “D级危房”", `housing (not recorded) ≠ "D级危房"`},
		{"text field", `h.housing in ["C级危房", "D级危房"]`, Household{Housing: "住房安全"},
			"住房情况 “住房安全” 不属于 [“C级危房”, “D级危房”]", `housing "住房安全" not in ["C级危房", "D级危房"]`},
		{"measure", `h.has("dibao") && h.income_per_capita > params.dibao_line * 1.5`, Household{Measures: []string{"dibao"}, IncomePerCapita: 12000, IncomeKnown: true},
			"有低保户；人均收入 12,000 > 低保线 × 1.5（8,820）", "holds minimum living allowance; per-capita income 12,000 > dibao line × 1.5 (8,820)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := mustCheck(t, e, tt.rule).Explain(t.Context(), testParams, &tt.h)
			if ex.ZH() != tt.zh || ex.EN() != tt.en {
				t.Errorf("got\n%s\n%s\nwant\n%s\n%s", ex.ZH(), ex.EN(), tt.zh, tt.en)
			}
		})
	}
}

func TestFormatNumbers(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 5880: "5,880", 4200.5: "4,200.5", 1234567.891: "1,234,567.89", -1500: "-1,500", 999: "999"} {
		if got := fmtNum(in); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", in, got, want)
		}
	}
}
