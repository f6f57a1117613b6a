package monitoring

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNext(t *testing.T) {
	for _, tc := range []struct {
		name, status, step, action string
		passed                     bool
		want                       Transition
		err                        safetynet.ErrorCode
	}{
		{"review passes to notice", StatusOpen, StepReview, ActReview, true, Transition{StatusOpen, StepNotice}, ""},
		{"review fails: rejected", StatusOpen, StepReview, ActReview, false, Transition{StatusRejected, ""}, ""},
		{"notice without upheld objection to town", StatusOpen, StepNotice, ActNotice, true, Transition{StatusOpen, StepTown}, ""},
		{"upheld objection: rejected", StatusOpen, StepNotice, ActNotice, false, Transition{StatusRejected, ""}, ""},
		{"town passes to county", StatusOpen, StepTown, ActTown, true, Transition{StatusOpen, StepCounty}, ""},
		{"town returns to village", StatusOpen, StepTown, ActTown, false, Transition{StatusOpen, StepResubmit}, ""},
		{"county confirms", StatusOpen, StepCounty, ActCounty, true, Transition{StatusConfirmed, ""}, ""},
		{"county returns to village", StatusOpen, StepCounty, ActCounty, false, Transition{StatusOpen, StepResubmit}, ""},
		{"resubmission goes to the town", StatusOpen, StepResubmit, ActResubmit, true, Transition{StatusOpen, StepTown}, ""},
		{"withdraw at the village", StatusOpen, StepNotice, ActWithdraw, true, Transition{StatusWithdrawn, ""}, ""},
		{"no withdraw at the town", StatusOpen, StepTown, ActWithdraw, true, Transition{}, safetynet.EConflict},
		{"county cannot act at review", StatusOpen, StepReview, ActCounty, true, Transition{}, safetynet.EConflict},
		{"town cannot review twice", StatusOpen, StepCounty, ActTown, true, Transition{}, safetynet.EConflict},
		{"ended process", StatusConfirmed, StepCounty, ActCounty, true, Transition{}, safetynet.EConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Next(tc.status, tc.step, tc.action, tc.passed)
			if tc.err != "" {
				if safetynet.CodeOf(err) != tc.err {
					t.Fatalf("err = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Next = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestWhoActs(t *testing.T) {
	roles := map[safetynet.Role]map[string]bool{
		safetynet.RoleVillageStaff:  {StepReview: true, StepNotice: true, StepResubmit: true},
		safetynet.RoleTownOfficer:   {StepTown: true},
		safetynet.RoleCountyOfficer: {StepCounty: true},
		safetynet.RoleGridWorker:    {},
		safetynet.RoleInspector:     {},
		safetynet.RoleAdmin:         {StepReview: true, StepNotice: true, StepTown: true, StepCounty: true, StepResubmit: true},
	}
	for role, may := range roles {
		for _, step := range Steps {
			a := access.Actor{Role: role, Place: "5303"}
			if got := CanAct(a, StatusOpen, step); got != may[step] {
				t.Errorf("%s at %s: CanAct = %v, want %v", role, step, got, may[step])
			}
			if CanAct(a, StatusConfirmed, step) {
				t.Errorf("%s acts on an ended process", role)
			}
		}
	}
	if StepLevel(StepTown) != safetynet.LevelTown || StepLevel(StepCounty) != safetynet.LevelCounty || StepLevel(StepNotice) != safetynet.LevelVillage {
		t.Error("step levels")
	}
}

func TestDeadlines(t *testing.T) {
	s := DefaultSettings()
	if s.Total() != 15 {
		t.Fatalf("default identification = %d days, want 15", s.Total())
	}
	now := date("2026-03-01")
	var sum time.Duration
	for _, step := range []string{StepReview, StepNotice, StepTown, StepCounty} {
		o := Opening(step, s, now)
		if o.Kind != "monitoring."+step || o.Level != StepLevel(step) || o.Interval != o.Due.Sub(now) {
			t.Errorf("%s: %+v", step, o)
		}
		sum += o.Interval
	}
	if sum != 15*24*time.Hour {
		t.Errorf("steps add up to %v", sum)
	}
	if err := CheckSettings(s); err != nil {
		t.Fatal(err)
	}
	bad := s
	bad.NoticeDays = 3
	if err := CheckSettings(bad); safetynet.CodeOf(err) != safetynet.EInvalid {
		t.Errorf("notice step shorter than the shortest notice accepted: %v", err)
	}
	bad = s
	bad.TownDays = 0
	if err := CheckSettings(bad); err == nil || err.(*safetynet.Error).Field != "town_days" {
		t.Errorf("zero town days: %v", err)
	}
}

func TestCheckProposal(t *testing.T) {
	ok := Proposal{Kind: Include, Category: safetynet.CatMonitorMarginal, RiskCauses: []string{"illness", "disability", "illness"},
		IncomeFen: 2_400_000, Members: 4, Origin: "warning"}
	for _, tc := range []struct {
		name  string
		edit  func(*Proposal)
		field string
	}{
		{"fine", func(*Proposal) {}, ""},
		{"no type", func(p *Proposal) { p.Category = "" }, "category"},
		{"not a monitored type", func(p *Proposal) { p.Category = "dibao" }, "category"},
		{"unknown cause", func(p *Proposal) { p.RiskCauses = []string{"因穷"} }, "risk_causes"},
		{"no cause", func(p *Proposal) { p.RiskCauses = nil }, "risk_causes"},
		{"negative income", func(p *Proposal) { p.IncomeFen = -1 }, "income"},
		{"nobody", func(p *Proposal) { p.Members = 0 }, "members"},
		{"bad origin", func(p *Proposal) { p.Origin = "rumour" }, "origin"},
		{"bad kind", func(p *Proposal) { p.Kind = "x" }, "kind"},
		{"elimination needs a reason", func(p *Proposal) { p.Kind = Eliminate }, "reason"},
		{"elimination with reason", func(p *Proposal) { p.Kind, p.Reason, p.Category = Eliminate, "务工收入稳定", "" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			p.RiskCauses = append([]string(nil), ok.RiskCauses...)
			tc.edit(&p)
			got, err := CheckProposal(p)
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got.Kind == Include && (len(got.RiskCauses) != 2 || got.RiskCauses[0] != "illness") {
					t.Errorf("causes not cleaned: %v", got.RiskCauses)
				}
				return
			}
			var e *safetynet.Error
			if err == nil || !asErr(err, &e) || e.Field != tc.field {
				t.Fatalf("err = %v, want field %s", err, tc.field)
			}
		})
	}
	if pc := ok.PerCapitaFen(); pc != 600_000 {
		t.Errorf("per capita = %d", pc)
	}
}

func asErr(err error, e **safetynet.Error) bool {
	x, ok := err.(*safetynet.Error)
	*e = x
	return ok
}

func TestCheckReviewAndNotice(t *testing.T) {
	proposed, today := date("2026-03-10"), date("2026-03-20")
	for _, tc := range []struct {
		name  string
		r     Record
		field string
	}{
		{"passed", Record{Date: date("2026-03-11"), Count: 23, Passed: true}, ""},
		{"held before it was entered", Record{Date: date("2026-03-01"), Count: 23, Passed: true}, ""},
		{"too early", Record{Date: date("2026-01-01"), Count: 23, Passed: true}, "date"},
		{"future", Record{Date: date("2026-03-21"), Count: 23, Passed: true}, "date"},
		{"no participants", Record{Date: date("2026-03-11"), Passed: true}, "participants"},
		{"failed without why", Record{Date: date("2026-03-11"), Count: 9}, "note"},
	} {
		t.Run("review "+tc.name, func(t *testing.T) {
			_, err := CheckReview(tc.r, proposed, today)
			checkField(t, err, tc.field)
		})
	}
	reviewed := date("2026-03-11")
	for _, tc := range []struct {
		name  string
		r     Record
		field string
	}{
		{"five days", Record{Start: date("2026-03-12"), End: date("2026-03-16"), Where: "村务公开栏"}, ""},
		{"four days", Record{Start: date("2026-03-12"), End: date("2026-03-15"), Where: "村务公开栏"}, "end"},
		{"not ended", Record{Start: date("2026-03-16"), End: date("2026-03-22"), Where: "村务公开栏"}, "end"},
		{"before the review", Record{Start: date("2026-03-10"), End: date("2026-03-16"), Where: "村务公开栏"}, "start"},
		{"nowhere", Record{Start: date("2026-03-12"), End: date("2026-03-16")}, "where"},
		{"upheld without text", Record{Start: date("2026-03-12"), End: date("2026-03-16"), Where: "公开栏", Upheld: true}, "objection"},
	} {
		t.Run("notice "+tc.name, func(t *testing.T) {
			got, err := CheckNotice(tc.r, reviewed, today, 5)
			checkField(t, err, tc.field)
			if err == nil && got.Passed == tc.r.Upheld {
				t.Error("passed should be the opposite of upheld")
			}
		})
	}
	if _, err := CheckDecision(Record{Passed: false}, ActTown, proposed, today); err == nil {
		t.Error("a return without reason accepted")
	}
	if r, err := CheckDecision(Record{Passed: true}, ActCounty, proposed, today); err != nil || !r.Date.Equal(today) {
		t.Errorf("confirmation: %+v %v", r, err)
	}
}

func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	e, ok := err.(*safetynet.Error)
	if !ok || e.Field != field {
		t.Fatalf("err = %v, want field %s", err, field)
	}
}

func TestReady(t *testing.T) {
	s := DefaultSettings()
	today := date("2026-11-30")
	line := int64(750_000) // 7,500 yuan
	for _, tc := range []struct {
		name   string
		st     Standing
		ready  bool
		failed string
	}{
		{"stable above for a year", Standing{MonitoredSince: date("2025-06-01"), LineFen: line, Assessments: []Assessment{
			{date("2025-06-01"), 400_000}, {date("2025-11-01"), 800_000}, {date("2026-05-01"), 900_000}}}, true, ""},
		{"just monitored", Standing{MonitoredSince: date("2026-09-01"), LineFen: line, Assessments: []Assessment{
			{date("2026-01-01"), 900_000}}}, false, "monitored"},
		{"latest below the line", Standing{MonitoredSince: date("2025-01-01"), LineFen: line, Assessments: []Assessment{
			{date("2025-06-01"), 900_000}, {date("2026-06-01"), 700_000}}}, false, "below_line"},
		{"above only recently", Standing{MonitoredSince: date("2025-01-01"), LineFen: line, Assessments: []Assessment{
			{date("2025-06-01"), 500_000}, {date("2026-09-15"), 900_000}}}, false, "above_line"},
		{"exactly on the line is not above", Standing{MonitoredSince: date("2025-01-01"), LineFen: line, Assessments: []Assessment{
			{date("2025-06-01"), line}}}, false, "below_line"},
		{"no line set", Standing{MonitoredSince: date("2025-01-01"), Assessments: []Assessment{{date("2025-06-01"), 900_000}}}, false, "no_line"},
		{"open clue", Standing{MonitoredSince: date("2025-01-01"), LineFen: line, OpenWork: 1, Assessments: []Assessment{
			{date("2025-06-01"), 900_000}}}, false, "open_work"},
		{"elimination in progress", Standing{MonitoredSince: date("2025-01-01"), LineFen: line, OpenProcess: true, Assessments: []Assessment{
			{date("2025-06-01"), 900_000}}}, false, "in_progress"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := Ready(tc.st, s, today)
			if j.Ready != tc.ready {
				t.Fatalf("Ready = %v, reasons %+v", j.Ready, j.Reasons)
			}
			if tc.failed != "" {
				found := false
				for _, r := range j.Reasons {
					found = found || (!r.OK && r.Code == tc.failed)
				}
				if !found {
					t.Errorf("no failed reason %s in %+v", tc.failed, j.Reasons)
				}
			}
		})
	}
}

func TestOverdueReview(t *testing.T) {
	s := DefaultSettings()
	today := date("2026-11-30")
	for _, tc := range []struct {
		name string
		st   Standing
		want bool
	}{
		{"reviewed last month", Standing{MonitoredSince: date("2025-01-01"), Assessments: []Assessment{{date("2026-10-20"), 1}}}, false},
		{"never reviewed for a year", Standing{MonitoredSince: date("2025-11-01")}, true},
		{"monitored two months", Standing{MonitoredSince: date("2026-09-30")}, false},
		{"in progress", Standing{MonitoredSince: date("2024-01-01"), OpenProcess: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := OverdueReview(tc.st, s, today); got != tc.want {
				t.Errorf("OverdueReview = %v", got)
			}
		})
	}
	if MonthsBetween(date("2026-01-31"), date("2026-02-28")) != 0 || MonthsBetween(date("2026-01-15"), date("2026-03-15")) != 2 {
		t.Error("MonthsBetween")
	}
}
