package demo

import (
	"context"
	"fmt"

	"safetynet/access"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// Fuyuan is 富源县, the county whose rules and parameters the demo seeds.
const Fuyuan = "530325"

// Params are the demo's parameter values for 富源县 this year (yuan/year,
// years).
var Params = map[string]any{"dibao_line": 5880.0, "tekun_line": 7644.0, "monitoring_line": 7600.0, "elderly_age": int64(60)}

// Rules are the demo's published rules for 富源县: the dibao rule and the
// two disability subsidies (残疾人两项补贴), with their examples.
var Rules = []sqlstore.RuleInput{
	{Name: "低保准入：人均收入低于低保线", Measure: "dibao", Kind: rules.KindEligibility, Place: Fuyuan,
		Source: `h.income_per_capita < params.dibao_line && !h.has("特困供养")`,
		Examples: []rules.Example{
			{Name: "收入低于低保线", Expect: true, Household: rules.Household{IncomePerCapita: 4200, IncomeKnown: true}},
			{Name: "收入未登记不算", Expect: false, Household: rules.Household{}},
			{Name: "特困供养户", Expect: false, Household: rules.Household{IncomePerCapita: 1000, IncomeKnown: true, Categories: []string{"tekun"}}},
		}},
	{Name: "残疾人两项补贴：一二级残疾成年人", Measure: "disability", Kind: rules.KindEligibility, Place: Fuyuan,
		Source: `h.members.exists(m, m.disability_grade in [1, 2] && m.age >= 16)`,
		Examples: []rules.Example{
			{Name: "一级残疾成年人", Expect: true, Household: rules.Household{Members: []rules.Member{
				{ID: 1, Age: 30, AgeKnown: true, DisabilityGrade: 1, GradeKnown: true}}}},
			{Name: "三级残疾", Expect: false, Household: rules.Household{Members: []rules.Member{
				{ID: 1, Age: 30, AgeKnown: true, DisabilityGrade: 3, GradeKnown: true}}}},
		}},
}

// LoadRules sets the parameters of 富源县 for this year and publishes the
// demo rules; households are screened by the serving process's loop.
func LoadRules(ctx context.Context, s *sqlstore.Store) error {
	sys := access.System()
	year := s.Now().Year()
	for _, name := range []string{"dibao_line", "tekun_line", "monitoring_line", "elderly_age"} {
		if err := s.SetParam(ctx, sys, Fuyuan, year, name, Params[name]); err != nil {
			return fmt.Errorf("demo: parameter %s: %w", name, err)
		}
	}
	for _, in := range Rules {
		id, err := s.CreateRule(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo: rule %s: %w", in.Name, err)
		}
		r, err := s.Rule(ctx, sys, id)
		if err != nil {
			return err
		}
		if _, err := s.PublishRule(ctx, sys, id, r.Version); err != nil {
			return fmt.Errorf("demo: publish %s: %w", in.Name, err)
		}
	}
	return nil
}
