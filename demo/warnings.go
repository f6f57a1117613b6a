package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"safetynet/access"
	"safetynet/idcard"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// WarningParams are the demo's thresholds of the medical warnings for
// 富源县 this year (yuan of out-of-pocket costs, year to date).
var WarningParams = map[string]any{"medical_oop_ordinary": 20000.0, "medical_oop_monitored": 5000.0}

const monitoredCats = `h.has("脱贫户") || h.has("脱贫不稳定户") || h.has("边缘易致贫户") || h.has("突发严重困难户")`

// WarningRules are the demo's published warning rules for 富源县: the two
// medical rules of issue 9, dangerous housing rated D and the death of a
// household head leaving minors or elderly.
var WarningRules = []sqlstore.WarningRuleInput{
	{Name: "医疗支出预警：脱贫户及监测对象年度自付超阈值", Place: Fuyuan, EventTypes: []string{"hospitalisation", "outpatient_large"},
		Source: "(" + monitoredCats + ") && e.oop_ytd >= params.medical_oop_monitored", Urgency: "normal",
		Examples: []rules.EventExample{
			{Name: "脱贫户累计五千六", Expect: true, Event: rules.Event{Type: "hospitalisation", Date: "2026-05-01", Fields: map[string]any{"oop_ytd": 5600.0}},
				Household: rules.Household{Categories: []string{"tuopin"}}},
			{Name: "普通农户累计五千六", Expect: false, Event: rules.Event{Type: "hospitalisation", Date: "2026-05-01", Fields: map[string]any{"oop_ytd": 5600.0}}},
		}},
	{Name: "医疗支出预警：普通农户年度自付超阈值", Place: Fuyuan, EventTypes: []string{"hospitalisation", "outpatient_large"},
		Source: "!(" + monitoredCats + ") && e.oop_ytd >= params.medical_oop_ordinary", Urgency: "normal",
		Examples: []rules.EventExample{
			{Name: "普通农户累计两万三", Expect: true, Event: rules.Event{Type: "hospitalisation", Date: "2026-05-01", Fields: map[string]any{"oop_ytd": 23400.0}}},
			{Name: "监测户不重复预警", Expect: false, Event: rules.Event{Type: "hospitalisation", Date: "2026-05-01", Fields: map[string]any{"oop_ytd": 23400.0}},
				Household: rules.Household{Categories: []string{"monitor_marginal"}}},
		}},
	{Name: "住房安全预警：鉴定为D级危房", Place: Fuyuan, EventTypes: []string{"dangerous_housing"}, Urgency: "urgent",
		Source: `e.rating == "D级危房"`, ClueKinds: []string{"house_damage"},
		Examples: []rules.EventExample{
			{Name: "D级", Expect: true, Event: rules.Event{Type: "dangerous_housing", Date: "2026-05-01", Fields: map[string]any{"rating": "D"}}},
			{Name: "C级", Expect: false, Event: rules.Event{Type: "dangerous_housing", Date: "2026-05-01", Fields: map[string]any{"rating": "C"}}},
		}},
	{Name: "户主去世预警：留有未成年人或老人", Place: Fuyuan, EventTypes: []string{"death"}, Urgency: "urgent", Period: sqlstore.PeriodEvent,
		Source: `p.relation == "户主" && h.members.exists(m, m.id != p.id && (m.age < 18 || m.age >= params.elderly_age))`},
}

// LoadWarnings sets the thresholds of 富源县 for this year, publishes the
// demo warning rules, and has the demo 医保 account (dept) push a batch of
// hospital stays of 腰站社区, drained at once: an ordinary household
// crossing 20,000 yuan, a formerly poor one crossing 5,000, one below,
// and someone not in the register, whose clue lands with the town.
func LoadWarnings(ctx context.Context, s *sqlstore.Store) error {
	sys := access.System()
	year := s.Now().Year()
	for _, name := range []string{"medical_oop_ordinary", "medical_oop_monitored"} {
		if err := s.SetParam(ctx, sys, Fuyuan, year, name, WarningParams[name]); err != nil {
			return fmt.Errorf("demo: parameter %s: %w", name, err)
		}
	}
	for _, in := range WarningRules {
		id, err := s.CreateWarningRule(ctx, sys, in)
		if err != nil {
			return fmt.Errorf("demo: warning rule %s: %w", in.Name, err)
		}
		r, err := s.Rule(ctx, sys, id)
		if err != nil {
			return err
		}
		if _, err := s.PublishRule(ctx, sys, id, r.Version); err != nil {
			return fmt.Errorf("demo: publish %s: %w", in.Name, err)
		}
	}
	today := s.Now().Format("2006-01-02")
	var ordinary, monitored []rules.Household
	err := s.EachRuleHousehold(ctx, Yaozhan, 500, func(hs []rules.Household) error {
		for _, h := range hs {
			if len(h.Members) == 0 {
				continue
			}
			if slices.ContainsFunc(h.Categories, func(c string) bool {
				return c == "tuopin" || c == "monitor_marginal" || c == "monitor_unstable" || c == "monitor_sudden"
			}) {
				monitored = append(monitored, h)
			} else {
				ordinary = append(ordinary, h)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	stay := func(h rules.Household, fen int64) sqlstore.FeedEventSeed {
		return sqlstore.FeedEventSeed{Type: "hospitalisation", Date: today, PersonID: h.Members[0].ID, HouseholdID: h.ID, PlaceCode: h.PlaceCode,
			Fields: map[string]any{"oop_cost": fen, "total_cost": 3 * fen}}
	}
	var evs []sqlstore.FeedEventSeed
	if len(ordinary) > 1 {
		evs = append(evs, stay(ordinary[0], 1200000), stay(ordinary[0], 940000), stay(ordinary[1], 800000))
	}
	if len(monitored) > 0 {
		evs = append(evs, stay(monitored[0], 560000))
	}
	rng := rand.New(rand.NewPCG(9, 9))
	evs = append(evs, sqlstore.FeedEventSeed{Type: "hospitalisation", Date: today, PlaceCode: Yaozhan, Name: "孙未登",
		IDNumber: idcard.Generate(rng, Fuyuan, time.Date(1962, 8, 8, 0, 0, 0, 0, time.UTC), idcard.Male), Address: "胜境街道腰站村附近",
		Fields: map[string]any{"oop_cost": int64(2600000), "oop_ytd": int64(3150000)}})
	for i := range evs {
		evs[i].RowKey = fmt.Sprintf("demo-%d", i+1)
	}
	if _, err := s.SeedFeedEvents(ctx, "medical_insurance", "demo-"+today, Fuyuan, "dept", evs); err != nil {
		return fmt.Errorf("demo: department events: %w", err)
	}
	for {
		n, err := s.DrainWarnings(ctx, 1000)
		if err != nil {
			return fmt.Errorf("demo: warnings: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
}
