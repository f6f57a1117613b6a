package sqlstore_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/relay"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func TestWarningsStory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local))
		f := newWarnings(t, s)

		// 15,000 yuan: below the ordinary threshold; a second stay brings
		// the year to 24,000 (computed from the stored events): one warning.
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-03-01", 15000))
		if ws := warningsOf(t, s, f.county, sqlstore.WarningFilter{}); len(ws) != 0 {
			t.Fatalf("warned below the threshold: %+v", ws)
		}
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-04-20", 9000))
		ws := warningsOf(t, s, f.village, sqlstore.WarningFilter{})
		if len(ws) != 1 {
			t.Fatalf("warnings = %+v", ws)
		}
		w := ws[0]
		if w.RuleID != f.rules[1] || w.HouseholdID != f.household || w.Status != sqlstore.WarnPending ||
			!strings.Contains(w.ExplainZH, "年度累计个人自付 24,000 ≥ 普通农户阈值 20,000") || w.Name != "宋奶奶" {
			t.Fatalf("warning = %+v", w)
		}
		if len(w.Amounts) != 1 || w.Amounts[0].Field != "oop_cost" || w.Amounts[0].Fen != 900000 {
			t.Fatalf("amounts = %+v", w.Amounts)
		}
		c, err := s.Clue(ctx, f.village, w.ClueID)
		if err != nil || c.Source != "department" || c.VillageCode != "530325002009" || c.Kinds[0] != "illness" ||
			!strings.Contains(c.Note, "年度累计个人自付 24,000") || c.Due == nil || c.Due.Kind != sqlstore.StepAcknowledge {
			t.Fatalf("clue = %+v %v", c, err)
		}
		if cw, err := s.ClueWarning(ctx, f.village, c.ID); err != nil || cw == nil || cw.ID != w.ID || cw.RuleName != "医疗支出预警：普通农户" {
			t.Fatalf("clue warning = %+v %v", cw, err)
		}

		// Crossing again in the same year: no second warning.
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-05-02", 3000))
		if ws := warningsOf(t, s, f.county, sqlstore.WarningFilter{}); len(ws) != 1 {
			t.Fatalf("warned twice in a year: %d", len(ws))
		}

		// Someone not in the register: with a village address not told
		// exactly, the clue lands with the town; told exactly, with the village.
		idA, idB := newID("1980-02-02", idcard.Male), newID("1975-03-03", idcard.Female)
		f.push(t, s, f.dept, "medical_insurance",
			sqlstore.FeedEventSeed{Type: "hospitalisation", Date: "2026-05-01", PlaceCode: "530325002009", IDNumber: idA, Name: "赵未登",
				Fields: map[string]any{"oop_cost": int64(500000), "oop_ytd": int64(3100000)}},
			sqlstore.FeedEventSeed{Type: "outpatient_large", Date: "2026-05-01", PlaceCode: "530325002009", PlaceExact: true, IDNumber: idB, Name: "钱未登",
				Fields: map[string]any{"oop_cost": int64(2100000)}})
		byName := map[string]sqlstore.Warning{}
		for _, w := range warningsOf(t, s, f.town, sqlstore.WarningFilter{}) {
			byName[w.Name] = w
		}
		if w := byName["赵未登"]; w.PlaceCode != "530325002" || w.HouseholdID != 0 || !strings.Contains(w.ExplainZH, "31,000") {
			t.Fatalf("unregistered, inexact: %+v", w)
		}
		if w := byName["钱未登"]; w.PlaceCode != "530325002009" || !strings.Contains(w.ExplainZH, "21,000") {
			t.Fatalf("unregistered, exact: %+v", w)
		}
		tc, err := s.Clue(ctx, f.town, byName["赵未登"].ClueID)
		if err != nil || tc.VillageCode != "" || tc.Due == nil || tc.Due.Level != safetynet.LevelTown {
			t.Fatalf("town clue = %+v %v", tc, err)
		}
		if _, err := s.Clue(ctx, f.village, tc.ID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("village sees the town's clue: %v", err)
		}

		// Scope: a department sees only the warnings of its own events; the
		// neighbouring community sees none; a volunteer is refused.
		if ws := warningsOf(t, s, f.dept, sqlstore.WarningFilter{}); len(ws) != 3 {
			t.Fatalf("department sees %d warnings", len(ws))
		}
		if ws := warningsOf(t, s, f.dept2, sqlstore.WarningFilter{}); len(ws) != 0 {
			t.Fatalf("another department sees %+v", ws)
		}
		other := actorOf(mustUser(t, s, access.System(), "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		if ws := warningsOf(t, s, other, sqlstore.WarningFilter{}); len(ws) != 0 {
			t.Fatalf("neighbouring community sees %+v", ws)
		}
		if _, err := s.ClueWarning(ctx, other, w.ClueID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("neighbouring community reads the clue's warning: %v", err)
		}
		if ws := warningsOf(t, s, f.county, sqlstore.WarningFilter{EventType: "outpatient_large"}); len(ws) != 1 {
			t.Fatalf("filter by event type: %d", len(ws))
		}

		// Feedback: acknowledged → verifying; verified, no risk → no_risk;
		// a new crossing after that warns again.
		if err := s.AcknowledgeClue(ctx, f.village, w.ClueID, 0); err != nil {
			t.Fatal(err)
		}
		if got := warningsOf(t, s, f.dept, sqlstore.WarningFilter{})[2].Status; got != sqlstore.WarnVerifying {
			t.Fatalf("after acknowledging: %s", got)
		}
		if _, err := s.VerifyClue(ctx, f.village, w.ClueID, sqlstore.Verification{Decision: "no_action", Note: "已报销，无风险"}, 0); err != nil {
			t.Fatal(err)
		}
		if ws := warningsOf(t, s, f.dept, sqlstore.WarningFilter{Status: sqlstore.WarnNoRisk}); len(ws) != 1 || ws[0].ID != w.ID {
			t.Fatalf("no risk: %+v", ws)
		}
		clock.Advance(24 * time.Hour)
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-05-11", 8000))
		ws = warningsOf(t, s, f.village, sqlstore.WarningFilter{})
		if len(ws) != 3 || !strings.Contains(ws[0].ExplainZH, "35,000") {
			t.Fatalf("new crossing after no risk: %+v", ws)
		}
		// This time a case opens and temporary assistance is approved: the
		// department reads helped, with the measure's name; the case's
		// provisional 突发严重困难户 mark is not an inclusion into monitoring
		// (only the monitoring cycle's confirmation is).
		caseID, err := s.VerifyClue(ctx, f.village, ws[0].ClueID, sqlstore.Verification{Decision: "open_case", Risks: []string{"illness"}}, 0)
		if err != nil {
			t.Fatal(err)
		}
		app, err := s.ApplyMeasure(ctx, f.village, caseID, sqlstore.Application{Measure: "temporary", AmountFen: 300000})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DecideApplication(ctx, f.town, app, true, "", 0); err != nil {
			t.Fatal(err)
		}
		got := warningsOf(t, s, f.dept, sqlstore.WarningFilter{})[0]
		if got.Status != sqlstore.WarnHelped || len(got.MeasureZH) != 1 || got.MeasureZH[0] != "临时救助" || got.Monitoring != "" {
			t.Fatalf("helped: %+v", got)
		}
		// The household is monitored now: the monitored threshold applies
		// next year, and the period is new.
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2027-01-05", 6000))
		ws = warningsOf(t, s, f.county, sqlstore.WarningFilter{})
		if ws[0].RuleID != f.rules[0] || !strings.Contains(ws[0].ExplainZH, "6,000 ≥ 脱贫户及监测对象阈值 5,000") {
			t.Fatalf("next year, monitored: %+v", ws[0])
		}
	})
}

// TestWarningErrors: a rule failing on an event records the error and
// neither stops the drain nor warns; the other rules still run.
func TestWarningErrors(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local))
		f := newWarnings(t, s)
		bad := publishWarning(t, s, f.county, sqlstore.WarningRuleInput{Name: "除以零", Place: "530325002", Source: `int(e.oop_cost) / 0 > 1`,
			EventTypes: []string{"hospitalisation"}})
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-03-01", 25000))
		errs, err := s.WarningErrors(ctx, f.county, bad)
		if err != nil || len(errs) != 1 || !strings.Contains(errs[0].ZH, "规则运行出错") {
			t.Fatalf("errors = %+v %v", errs, err)
		}
		if ws := warningsOf(t, s, f.county, sqlstore.WarningFilter{}); len(ws) != 1 || ws[0].RuleID != f.rules[1] {
			t.Fatalf("warnings = %+v", ws)
		}
		// A rule of another town does not apply to this event.
		far := publishWarning(t, s, f.county, sqlstore.WarningRuleInput{Name: "中安街道", Place: "530325001", Source: `e.registered`,
			EventTypes: []string{"hospitalisation"}})
		f.push(t, s, f.dept, "medical_insurance", f.medicalEvent("2026-03-02", 1))
		for _, w := range warningsOf(t, s, f.county, sqlstore.WarningFilter{}) {
			if w.RuleID == far {
				t.Fatalf("a rule of another town warned: %+v", w)
			}
		}
	})
}

func TestWarningRuleInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRelay(t, s)
		ok := sqlstore.WarningRuleInput{Name: "危房D级", Place: "530325", Source: `e.rating == "D级危房"`, EventTypes: []string{"dangerous_housing"}}
		for _, tc := range []struct {
			field string
			edit  func(in *sqlstore.WarningRuleInput)
		}{
			{"event_types", func(in *sqlstore.WarningRuleInput) { in.EventTypes = nil }},
			{"event_types", func(in *sqlstore.WarningRuleInput) { in.EventTypes = []string{"flood"} }},
			{"source", func(in *sqlstore.WarningRuleInput) { in.Source = `e.rating == "D级"` }},
			{"source", func(in *sqlstore.WarningRuleInput) { in.Source = `e.nothing` }},
			{"urgency", func(in *sqlstore.WarningRuleInput) { in.Urgency = "soon" }},
			{"clue_kinds", func(in *sqlstore.WarningRuleInput) { in.ClueKinds = []string{"x"} }},
			{"period", func(in *sqlstore.WarningRuleInput) { in.Period = "week" }},
			{"place", func(in *sqlstore.WarningRuleInput) { in.Place = "530325002009" }},
		} {
			in := ok
			tc.edit(&in)
			_, err := s.CreateWarningRule(ctx, f.county, in)
			if safetynet.CodeOf(err) != safetynet.EInvalid || fieldOf(err) != tc.field {
				t.Errorf("%s: %v", tc.field, err)
			}
		}
		if _, err := s.CreateWarningRule(ctx, f.village, ok); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Errorf("village writes a rule: %v", err)
		}
		id, err := s.CreateWarningRule(ctx, f.county, ok)
		if err != nil {
			t.Fatal(err)
		}
		// An eligibility screening ignores warning rules; the generic rule
		// list shows it with its kind.
		if n, err := s.ScreenQueued(ctx, 10); err != nil {
			t.Fatalf("screen: %d %v", n, err)
		}
		w, err := s.WarningRule(ctx, f.town, id)
		if err != nil || w.Period != sqlstore.PeriodYear || w.Urgency != "normal" || w.EventTypes[0] != "dangerous_housing" {
			t.Fatalf("rule = %+v %v", w, err)
		}
		in := ok
		in.Examples = append(in.Examples, rulesExample("D级", "D", false))
		if err := s.UpdateWarningRule(ctx, f.county, id, in, w.Version); err != nil {
			t.Fatal(err)
		}
		r, _ := s.Rule(ctx, f.county, id)
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); safetynet.CodeOf(err) != safetynet.EInvalid {
			t.Fatalf("publish with a failing example: %v", err)
		}
		if issues, err := s.CheckWarningRule(ctx, f.county, `e.oop_ytd >= "x"`); err != nil || len(issues) != 1 {
			t.Fatalf("check = %+v %v", issues, err)
		}
	})
}

// TestWarningsTwoProcesses drains one PostgreSQL queue from two stores at
// once, as two server processes do: every event is evaluated once and
// every warning raised once.
func TestWarningsTwoProcesses(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 5, 10, 9, 0, 0, 0, time.Local))
	dsn := storetest.PostgresDSN(t)
	one, two := storetest.Open(t, dsn, clock), storetest.Open(t, dsn, clock)
	f := newWarnings(t, one)
	var evs []sqlstore.FeedEventSeed
	for i := range 300 {
		evs = append(evs, sqlstore.FeedEventSeed{Type: "hospitalisation", Date: "2026-04-01", PlaceCode: "530325002009",
			IDNumber: newID(time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"), idcard.Male), Name: "未登记", Fields: map[string]any{"oop_cost": int64(100), "oop_ytd": int64(2500000 + i)}})
	}
	// The head of the fixture's household crosses twice in one batch.
	evs = append(evs, f.medicalEvent("2026-04-01", 21000), f.medicalEvent("2026-04-02", 1000))
	for i := range evs {
		evs[i].RowKey = "k" + strings.Repeat("x", i%3) + time.Duration(i).String()
	}
	if _, err := one.SeedFeedEvents(ctx, "medical_insurance", "big", "530325", f.dept.Username, evs); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	taken := make(chan int, 1000)
	for _, s := range []*sqlstore.Store{one, two, one, two} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := s.DrainWarnings(ctx, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
				taken <- n
			}
		}()
	}
	wg.Wait()
	close(taken)
	total := 0
	for n := range taken {
		total += n
	}
	if total != len(evs) {
		t.Fatalf("%d events taken for %d queued", total, len(evs))
	}
	ws := warningsOf(t, two, f.county, sqlstore.WarningFilter{Limit: 1000})
	if len(ws) != 301 {
		t.Fatalf("%d warnings, want 301", len(ws))
	}
	clues := map[int64]bool{}
	for _, w := range ws {
		if w.ClueID == 0 || clues[w.ClueID] {
			t.Fatalf("warning %d has clue %d", w.ID, w.ClueID)
		}
		clues[w.ClueID] = true
	}
	c, err := two.Clue(ctx, f.county, ws[0].ClueID)
	if err != nil || c.Status != relay.ClueReported {
		t.Fatalf("clue = %+v %v", c, err)
	}
}

func fieldOf(err error) string {
	var e *safetynet.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
