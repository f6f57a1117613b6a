package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/rules"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

const dibaoRule = `h.income_per_capita < params.dibao_line && !h.has("特困供养")`

func drain(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	for {
		n, err := s.ScreenQueued(ctx, 500)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func setIncome(t *testing.T, s *sqlstore.Store, a access.Actor, id int64, fen int64) {
	t.Helper()
	h, err := s.Household(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	year := 2025
	if err := s.UpdateHousehold(ctx, a, id, safetynet.HouseholdPatch{IncomeYear: &year, IncomeFen: &fen}, h.Version); err != nil {
		t.Fatal(err)
	}
}

func lines(t *testing.T, s *sqlstore.Store, a access.Actor, f sqlstore.ListFilter) []sqlstore.ListLine {
	t.Helper()
	ls, err := s.ScreeningList(ctx, a, f)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func code(err error) safetynet.ErrorCode { return safetynet.CodeOf(err) }

func TestRulesScreeningStory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		sys := access.System()
		other := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		vol := actorOf(mustUser(t, s, sys, "vol", safetynet.RoleVolunteer, "530325002009"))
		setIncome(t, s, f.village, f.household, 420000) // 4,200 yuan per person

		// Parameters: typed, per county and year, set by the county only.
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", "abc"); code(err) != safetynet.EInvalid {
			t.Fatalf("text for a number: %v", err)
		}
		if err := s.SetParam(ctx, f.town, "530325", 2026, "dibao_line", 5880.0); code(err) != safetynet.EForbidden {
			t.Fatalf("town sets a parameter: %v", err)
		}
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 5880.0); err != nil {
			t.Fatal(err)
		}
		ps, err := s.Params(ctx, f.town, "530325", 2026)
		if err != nil || ps[0].Name != "dibao_line" || ps[0].Value != 5880.0 {
			t.Fatalf("params = %+v %v", ps, err)
		}

		// Bad rules are refused naming the field.
		in := sqlstore.RuleInput{Name: "低保准入", Measure: "dibao", Kind: rules.KindEligibility, Place: "530325",
			Source: "h.income_per_capita < params.dibao_linee"}
		if _, err := s.CreateRule(ctx, f.county, in); code(err) != safetynet.EInvalid || safetynet.AsError(err).Field != "source" {
			t.Fatalf("misspelt parameter: %v", err)
		}
		in.Source, in.Measure = dibaoRule, "nosuch"
		if _, err := s.CreateRule(ctx, f.county, in); code(err) != safetynet.EInvalid || safetynet.AsError(err).Field != "measure" {
			t.Fatalf("unknown measure: %v", err)
		}
		if _, err := s.CreateRule(ctx, f.village, in); code(err) != safetynet.EForbidden {
			t.Fatalf("village writes a rule: %v", err)
		}
		in.Measure = "dibao"
		in.Examples = []rules.Example{{Name: "收入高", Expect: true, Household: rules.Household{IncomePerCapita: 9000, IncomeKnown: true}}}
		id, err := s.CreateRule(ctx, f.county, in)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Rule(ctx, f.county, id)
		if err != nil || r.Status != sqlstore.RuleDraft {
			t.Fatalf("rule = %+v %v", r, err)
		}
		pv, err := s.PreviewRule(ctx, f.county, id)
		if err != nil || pv.Count != 1 || pv.Total != 1 || len(pv.Lines) != 1 || pv.Lines[0].Name != "宋奶奶" ||
			!strings.Contains(pv.Lines[0].ExplainZH, "低保线") || len(pv.Failures) != 1 {
			t.Fatalf("preview = %+v %v", pv, err)
		}
		if len(pv.Warnings) == 0 {
			t.Errorf("a rule matching every household of the sample gives no warning")
		}
		// A failing example stops publishing; a stale version is a conflict.
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); code(err) != safetynet.EInvalid {
			t.Fatalf("publish with a failing example: %v", err)
		}
		in.Examples[0].Expect = false
		if err := s.UpdateRule(ctx, f.county, id, in, r.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateRule(ctx, f.county, id, in, r.Version); code(err) != safetynet.EConflict {
			t.Fatalf("stale edit: %v", err)
		}
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); code(err) != safetynet.EConflict {
			t.Fatalf("stale publish: %v", err)
		}
		n, err := s.PublishRule(ctx, f.county, id, r.Version+1)
		if err != nil || n != 1 {
			t.Fatalf("publish = %d %v", n, err)
		}

		// The queue brings the household onto the village's 应享未享 list.
		drain(t, s)
		ls := lines(t, s, f.village, sqlstore.ListFilter{List: rules.ListEligible})
		if len(ls) != 1 || ls[0].HouseholdID != f.household || ls[0].Measure != "dibao" || !strings.Contains(ls[0].ExplainZH, "4,200") ||
			ls[0].Outreach != "pending" || ls[0].Name != "宋奶奶" {
			t.Fatalf("list = %+v", ls)
		}
		line := ls[0]
		// Scope: another village sees nothing and cannot act; volunteers and grid workers see no list.
		if got := lines(t, s, other, sqlstore.ListFilter{}); len(got) != 0 {
			t.Fatalf("other village sees %+v", got)
		}
		if err := s.DismissLine(ctx, other, line.ID, "declined", "", 0); code(err) != safetynet.ENotFound {
			t.Fatalf("out-of-scope dismissal: %v", err)
		}
		for _, a := range []access.Actor{vol, f.grid} {
			if _, err := s.ScreeningList(ctx, a, sqlstore.ListFilter{}); code(err) != safetynet.EForbidden {
				t.Fatalf("%s sees the list: %v", a.Role, err)
			}
		}

		// The grid worker tells the household, which wants to apply: the village is told.
		tasks, err := s.OutreachTasks(ctx, f.grid, "pending")
		if err != nil || len(tasks) != 1 || !strings.Contains(tasks[0].PlainZH, "最低生活保障") {
			t.Fatalf("tasks = %+v %v", tasks, err)
		}
		before := unread(t, s, f.village)
		if err := s.RecordOutreach(ctx, f.grid, tasks[0].ID, true, true, "", tasks[0].Version); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordOutreach(ctx, f.grid, tasks[0].ID, true, true, "", 0); code(err) != safetynet.EConflict {
			t.Fatalf("double outreach: %v", err)
		}
		if unread(t, s, f.village) != before+1 {
			t.Errorf("village staff not told that the household wants to apply")
		}
		counts, err := s.OutreachCounts(ctx, f.town, "530325002")
		if err != nil || len(counts) != 1 || counts[0].Done != 1 || counts[0].WantsApply != 1 {
			t.Fatalf("counts = %+v %v", counts, err)
		}

		// Dismissed with a reason: it stays away until the household's data change.
		if err := s.DismissLine(ctx, f.village, line.ID, "bogus", "", 0); code(err) != safetynet.EInvalid {
			t.Fatalf("bad reason: %v", err)
		}
		if err := s.DismissLine(ctx, f.village, line.ID, "declined", "", line.Version); err != nil {
			t.Fatal(err)
		}
		if err := s.DismissLine(ctx, f.village, line.ID, "declined", "", 0); code(err) != safetynet.EConflict {
			t.Fatalf("double dismissal: %v", err)
		}
		if _, err := s.ScreenAll(ctx, "", nil); err != nil {
			t.Fatal(err)
		}
		if got := lines(t, s, f.village, sqlstore.ListFilter{}); len(got) != 0 {
			t.Fatalf("dismissed line back without a change: %+v", got)
		}
		setIncome(t, s, f.village, f.household, 400000)
		drain(t, s)
		if got := lines(t, s, f.village, sqlstore.ListFilter{}); len(got) != 1 || got[0].Status != rules.LineOpen {
			t.Fatalf("line after a data change = %+v", got)
		}

		// An income above the line takes the household off the list.
		setIncome(t, s, f.village, f.household, 700000)
		drain(t, s)
		if got := lines(t, s, f.village, sqlstore.ListFilter{}); len(got) != 0 {
			t.Fatalf("still listed above the line: %+v", got)
		}
		setIncome(t, s, f.village, f.household, 300000)
		drain(t, s)
		ls = lines(t, s, f.village, sqlstore.ListFilter{})
		if len(ls) != 1 {
			t.Fatalf("back below the line: %+v", ls)
		}
		caseID, itemID, err := s.StartApplication(ctx, f.village, ls[0].ID)
		if err != nil || caseID == 0 || itemID == 0 {
			t.Fatalf("start application = %d %d %v", caseID, itemID, err)
		}
		if _, _, err := s.StartApplication(ctx, f.village, ls[0].ID); code(err) != safetynet.EConflict {
			t.Fatalf("double application: %v", err)
		}
		if got := lines(t, s, f.village, sqlstore.ListFilter{Status: rules.LineApplied}); len(got) != 1 || got[0].CaseID != caseID {
			t.Fatalf("applied lines = %+v", got)
		}
		if pending, err := s.OutreachTasks(ctx, f.grid, "pending"); err != nil || len(pending) != 0 {
			t.Fatalf("outreach still pending after the application started: %+v %v", pending, err)
		}

		// History keeps every version's answers; retiring rewrites nothing.
		hist, err := s.HouseholdRuleHistory(ctx, f.village, f.household)
		if err != nil || len(hist) < 3 || hist[len(hist)-1].RuleVersion != 1 || !hist[len(hist)-1].Matched {
			t.Fatalf("history = %+v %v", hist, err)
		}
		r, _ = s.Rule(ctx, f.county, id)
		if err := s.RetireRule(ctx, f.county, id, r.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if got := lines(t, s, f.village, sqlstore.ListFilter{Status: "all"}); len(got) != 0 {
			t.Fatalf("lines of a retired rule = %+v", got)
		}
		if again, _ := s.HouseholdRuleHistory(ctx, f.village, f.household); len(again) != len(hist) {
			t.Fatalf("retiring changed the history: %d → %d", len(hist), len(again))
		}
		if _, err := s.HouseholdRuleHistory(ctx, other, f.household); code(err) != safetynet.ENotFound {
			t.Fatalf("out-of-scope history: %v", err)
		}
	})
}

func TestRulesExitAndFollowup(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household,
			safetynet.NewAssignment{Category: "dibao", Start: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetParam(ctx, f.county, "530325", 2026, "dibao_line", 5880); err != nil {
			t.Fatal(err)
		}
		setIncome(t, s, f.village, f.household, 900000)
		in := sqlstore.RuleInput{Name: "低保退出", Measure: "dibao", Kind: rules.KindExit, Place: "530325002",
			Source: "h.income_per_capita >= params.dibao_line * 1.2"}
		id, err := s.CreateRule(ctx, f.county, in)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Rule(ctx, f.county, id)
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		ls := lines(t, s, f.town, sqlstore.ListFilter{List: rules.ListExit})
		if len(ls) != 1 || ls[0].Outreach != "" {
			t.Fatalf("exit list = %+v", ls)
		}
		if _, _, err := s.StartApplication(ctx, f.village, ls[0].ID); code(err) != safetynet.EInvalid {
			t.Fatalf("application from an exit line: %v", err)
		}
		if err := s.MarkContinuedFollowup(ctx, f.village, ls[0].ID, "父母仍需照顾", ls[0].Version); err != nil {
			t.Fatal(err)
		}
		if got := lines(t, s, f.town, sqlstore.ListFilter{Status: rules.LineFollowup}); len(got) != 1 {
			t.Fatalf("follow-up lines = %+v", got)
		}
		// A person added is a register change: queued in the same transaction.
		if _, err := s.AddPerson(ctx, f.village, f.household, safetynet.PersonInput{Name: "宋小", Relation: "grandson",
			IDNumber: newID("2012-03-04", idcard.Male)}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.ScreenQueued(ctx, 10); err != nil || n != 1 {
			t.Fatalf("queued after adding a person = %d %v", n, err)
		}
		// A full screening takes what it screened off the queue.
		if _, err := s.AddPerson(ctx, f.village, f.household, safetynet.PersonInput{Name: "宋二", Relation: "grandson",
			IDNumber: newID("2014-03-04", idcard.Male)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScreenAll(ctx, "530325", nil); err != nil {
			t.Fatal(err)
		}
		if n, err := s.ScreenQueued(ctx, 10); err != nil || n != 0 {
			t.Fatalf("queued after a full screening = %d %v", n, err)
		}
	})
}

// TestRuleErrorOnOneHousehold: a rule failing on one household (integer
// division by zero) records the error there, matches it not, and the
// other households are screened; a new parameter value re-screens.
func TestRuleErrorOnOneHousehold(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.Local))
		f := newRelay(t, s)
		two, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾6号"},
			safetynet.PersonInput{Name: "李大", IDNumber: newID("1960-01-02", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPerson(ctx, f.village, two, safetynet.PersonInput{Name: "李二", Relation: "spouse",
			IDNumber: newID("1962-01-02", idcard.Female)}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetParam(ctx, f.county, "530325", 2026, "elderly_age", 100); err != nil {
			t.Fatal(err)
		}
		id, err := s.CreateRule(ctx, f.county, sqlstore.RuleInput{Name: "除零", Measure: "service", Kind: rules.KindEligibility,
			Place: "530325", Source: `2 / (h.size - 1) > 0 && h.members.exists(m, m.age < params.elderly_age)`})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Rule(ctx, f.county, id)
		if _, err := s.PublishRule(ctx, f.county, id, r.Version); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		ls := lines(t, s, f.village, sqlstore.ListFilter{})
		if len(ls) != 1 || ls[0].HouseholdID != two {
			t.Fatalf("lines = %+v, want the two-person household only", ls)
		}
		hist, err := s.HouseholdRuleHistory(ctx, f.village, f.household)
		if err != nil || len(hist) != 1 || hist[0].Err == "" || hist[0].Matched {
			t.Fatalf("one-person household's history = %+v %v", hist, err)
		}
		// A lower elderly age: the county is queued and the line goes.
		if err := s.SetParam(ctx, f.county, "530325", 2026, "elderly_age", 18); err != nil {
			t.Fatal(err)
		}
		drain(t, s)
		if ls := lines(t, s, f.village, sqlstore.ListFilter{}); len(ls) != 0 {
			t.Fatalf("lines after the parameter changed = %+v", ls)
		}
	})
}
