package rules

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestMonitoringFacts turns the storage layer's raw facts into what rules
// read: the label of the monitored category, whole months (missing when
// not monitored or without start), risk labels once each.
func TestMonitoringFacts(t *testing.T) {
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		in   MonitoringFacts
		want Monitoring
	}{
		{"not monitored", MonitoringFacts{OpenClues: 1, ClueKinds: []string{"fall"}},
			Monitoring{OpenClues: 1, OpenRisks: []string{"跌倒受伤"}}},
		{"a category that is not a monitored kind", MonitoringFacts{Category: "dibao", Since: day.AddDate(-1, 0, 0)}, Monitoring{}},
		{"monitored for 13 months", MonitoringFacts{Category: "monitor_marginal", Since: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC)},
			Monitoring{Monitored: true, MonitoringType: "边缘易致贫户", MonitoredMonths: 13, MonthsKnown: true}},
		{"started this day last month, one day short", MonitoringFacts{Category: "monitor_sudden", Since: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)},
			Monitoring{Monitored: true, MonitoringType: "突发严重困难户", MonitoredMonths: 0, MonthsKnown: true}},
		{"start not recorded", MonitoringFacts{Category: "monitor_unstable"},
			Monitoring{Monitored: true, MonitoringType: "脱贫不稳定户"}},
		{"start in the future", MonitoringFacts{Category: "monitor_unstable", Since: day.AddDate(0, 0, 2)},
			Monitoring{Monitored: true, MonitoringType: "脱贫不稳定户"}},
		{"risks of clues and cases, once each, sorted", MonitoringFacts{Category: "monitor_sudden", Since: day, OpenClues: 2, OpenCases: 1,
			ClueKinds: []string{"illness", "fall", "illness"}, CaseRisks: []string{"illness", ""}, OverdueSteps: 3},
			Monitoring{Monitored: true, MonitoringType: "突发严重困难户", MonthsKnown: true, OpenClues: 2, OpenCases: 1,
				OpenRisks: []string{"因病", "生病住院", "跌倒受伤"}, OverdueSteps: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.in.Facts(day)
			if strings.Join(got.OpenRisks, ",") != strings.Join(tc.want.OpenRisks, ",") {
				t.Errorf("risks %q, want %q", got.OpenRisks, tc.want.OpenRisks)
			}
			got.OpenRisks, tc.want.OpenRisks = nil, nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestMonitoringFields reads the new fields in rules, a missing
// monitored_months following the documented NULL semantics.
func TestMonitoringFields(t *testing.T) {
	e := mustEnv(t, Config{})
	monitored := Household{ID: 1, Monitoring: Monitoring{Monitored: true, MonitoringType: "边缘易致贫户", MonitoredMonths: 7, MonthsKnown: true,
		OpenClues: 1, OpenCases: 2, OpenRisks: []string{"因病"}, OverdueSteps: 1}}
	noStart := Household{ID: 2, Monitoring: Monitoring{Monitored: true, MonitoringType: "脱贫不稳定户"}}
	plain := Household{ID: 3}
	for _, tc := range []struct {
		rule    string
		h       Household
		matched bool
		missing bool
		err     bool
	}{
		{`h.monitored`, monitored, true, false, false},
		{`h.monitored`, plain, false, false, false},
		{`h.monitoring_type == "边缘易致贫户"`, monitored, true, false, false},
		{`h.monitoring_type == ""`, plain, true, false, false},
		{`h.monitored_months >= 6`, monitored, true, false, false},
		{`h.monitored_months >= 6`, noStart, false, true, false},
		{`!(h.monitored_months >= 6)`, noStart, false, true, false},
		{`has(h.monitored_months)`, noStart, false, false, false},
		{`!has(h.monitored_months) || h.monitored_months < 3`, noStart, true, false, false},
		{`h.monitored || h.monitored_months > 1`, noStart, true, false, false},
		{`h.monitored_months + 1 > 0`, plain, false, false, true},
		{`h.open_clues == 1 && h.open_cases == 2 && h.overdue_steps == 1`, monitored, true, false, false},
		{`"因病" in h.open_risks`, monitored, true, false, false},
		{`size(h.open_risks) == 0 && h.open_clues == 0`, plain, true, false, false},
	} {
		r := eval(t, mustCheck(t, e, tc.rule), tc.h)
		if r.Matched != tc.matched || (len(r.Missing) > 0) != tc.missing || (r.Err != nil) != tc.err {
			t.Errorf("%s on %d: %+v, want matched %v missing %v error %v", tc.rule, tc.h.ID, r, tc.matched, tc.missing, tc.err)
		}
	}
	if _, err := e.Check(`h.monitoring_type == "边缘户"`); err == nil {
		t.Error("a monitoring type outside the vocabulary compiles")
	}
}

// TestDecideColour applies the default rules: red for an open risk without
// measures or an overdue step, yellow with measures or an open case,
// green otherwise; no colour when not monitored; a failing rule is red.
func TestDecideColour(t *testing.T) {
	e := mustEnv(t, Config{})
	cr := ColourRules{Red: mustCheck(t, e, DefaultRedRule), Yellow: mustCheck(t, e, DefaultYellowRule)}
	mon := func(m Monitoring, measures ...string) Household {
		m.Monitored, m.MonitoringType = true, "突发严重困难户"
		return Household{ID: 1, Measures: measures, Monitoring: m}
	}
	for _, tc := range []struct {
		name   string
		h      Household
		colour string
		why    string
	}{
		{"not monitored, even with an open risk", Household{Monitoring: Monitoring{OpenRisks: []string{"因病"}, OpenClues: 1}}, "", ""},
		{"open risk, no measure", mon(Monitoring{OpenClues: 1, OpenRisks: []string{"生病住院"}}), ColourRed, "未解决风险"},
		{"overdue step", mon(Monitoring{OpenCases: 1, OverdueSteps: 2}, "dibao"), ColourRed, "超时环节数"},
		{"open risk with a measure in force", mon(Monitoring{OpenCases: 1, OpenRisks: []string{"因病"}}, "medical"), ColourYellow, ""},
		{"open case without risk types", mon(Monitoring{OpenCases: 1}), ColourYellow, "在办案件数"},
		{"measures in force, nothing open", mon(Monitoring{}, "dibao"), ColourYellow, ""},
		{"stable", mon(Monitoring{}), ColourGreen, "情况稳定"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DecideColour(context.Background(), cr, testParams, &tc.h)
			if got.Colour != tc.colour || !strings.Contains(got.ZH, tc.why) || (tc.colour != "" && (got.ZH == "" || got.EN == "")) {
				t.Errorf("got %+v, want %s (%s)", got, tc.colour, tc.why)
			}
		})
	}
	failing := ColourRules{Red: mustCheck(t, e, `h.open_clues / h.open_cases > 0`), Yellow: cr.Yellow}
	h := mon(Monitoring{OpenClues: 1})
	if got := DecideColour(context.Background(), failing, testParams, &h); got.Colour != ColourRed || !strings.Contains(got.ZH, "红色规则计算出错") {
		t.Errorf("failing rule: %+v", got)
	}
	if got := DecideColour(context.Background(), ColourRules{Yellow: cr.Yellow}, testParams, &h); got.Colour != ColourRed {
		t.Errorf("rule that no longer compiles: %+v", got)
	}
}

// TestFingerprintIgnoresMonitoring keeps dismissed lines dismissed while
// clues open and months pass.
func TestFingerprintIgnoresMonitoring(t *testing.T) {
	a := income(4000, "dibao")
	b := a
	b.Monitoring = Monitoring{Monitored: true, OpenClues: 3, MonitoredMonths: 5, MonthsKnown: true}
	if Fingerprint(&a) != Fingerprint(&b) {
		t.Error("the fingerprint changes with the relay's open work")
	}
}
