package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/monitoring"
	"safetynet/relay"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

func wantCode(t *testing.T, err error, code safetynet.ErrorCode, what string) {
	t.Helper()
	if safetynet.CodeOf(err) != code {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
}

func processOf(t *testing.T, s *sqlstore.Store, a access.Actor, id int64) sqlstore.MonitoringProcess {
	t.Helper()
	p, err := s.MonitoringProcessView(ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func activeMonitored(t *testing.T, s *sqlstore.Store, a access.Actor, household int64) []safetynet.Assignment {
	t.Helper()
	v, err := s.HouseholdView(ctx, a, household)
	if err != nil {
		t.Fatal(err)
	}
	var out []safetynet.Assignment
	for _, x := range v.History {
		if c, _ := safetynet.CategoryByCode(x.Category); c.Monitored {
			out = append(out, x)
		}
	}
	return out
}

// TestMonitoringInclusion: a department warning about an ordinary household
// is verified, proposed for inclusion, reviewed, noticed, returned once by
// the town, resubmitted, passed and confirmed; the register shows the
// category from the confirmation date.
func TestMonitoringInclusion(t *testing.T) {
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		other := actorOf(mustUser(t, s, access.System(), "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		c, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "w-1", Source: "department", HouseholdID: f.household,
			Kinds: []string{"illness"}, Urgency: "normal", Note: "住院自付 21,000 元"})
		if err != nil {
			t.Fatal(err)
		}
		in := monitoring.Proposal{Kind: monitoring.Include, Category: safetynet.CatMonitorMarginal, RiskCauses: []string{"illness"},
			IncomeFen: 1_800_000, Members: 3}
		_, err = s.ProposeMonitoring(ctx, f.village, f.household, in, c.ID)
		wantCode(t, err, safetynet.EInvalid, "proposal from an unverified clue")
		if _, err := s.VerifyClue(ctx, f.village, c.ID, relay.Verification{VisitedAt: clock.Now(), Decision: "open_case",
			Risks: []string{"illness"}}, 0); err != nil {
			t.Fatal(err)
		}
		_, err = s.ProposeMonitoring(ctx, f.grid, f.household, in, c.ID)
		wantCode(t, err, safetynet.EForbidden, "grid worker proposes")
		_, err = s.ProposeMonitoring(ctx, other, f.household, in, 0)
		wantCode(t, err, safetynet.ENotFound, "neighbouring village proposes")
		id, err := s.ProposeMonitoring(ctx, f.village, f.household, in, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ProposeMonitoring(ctx, f.village, f.household, in, c.ID)
		wantCode(t, err, safetynet.EConflict, "double submission")
		p := processOf(t, s, f.village, id)
		if p.Origin != "warning" || p.Step != monitoring.StepReview || p.PerCapitaFen != 600_000 || p.StepLevel != safetynet.LevelVillage ||
			!p.StepDue.Equal(start.Add(4*24*time.Hour)) || !p.DueAt.Equal(start.Add(15*24*time.Hour)) {
			t.Fatalf("proposed = %+v", p)
		}
		if _, err := s.MonitoringProcessView(ctx, other, id); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("neighbour sees it: %v", err)
		}
		review := monitoring.Record{Passed: true, Date: start.AddDate(0, 0, -8), Count: 21, People: "村两委、村民代表"}
		wantCode(t, s.RecordMonitoringStep(ctx, f.town, id, monitoring.ActReview, review, p.Version), safetynet.EForbidden, "town records the review")
		wantCode(t, s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActReview, review, p.Version+1), safetynet.EConflict, "stale version")
		wantCode(t, s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActNotice, review, p.Version), safetynet.EConflict, "notice before review")
		if err := s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActReview, review, p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.village, id)
		short := monitoring.Record{Start: start.AddDate(0, 0, -6), End: start.AddDate(0, 0, -3), Where: "腰站社区村务公开栏"}
		wantCode(t, s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActNotice, short, p.Version), safetynet.EInvalid, "4-day notice")
		notice := monitoring.Record{Start: start.AddDate(0, 0, -7), End: start.AddDate(0, 0, -1), Where: "腰站社区村务公开栏"}
		if err := s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActNotice, notice, p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.town, id)
		if p.Step != monitoring.StepTown || p.StepLevel != safetynet.LevelTown {
			t.Fatalf("after notice: %+v", p)
		}
		wantCode(t, s.RecordMonitoringStep(ctx, f.town, id, monitoring.ActTown, monitoring.Record{}, p.Version), safetynet.EInvalid, "return without reason")
		if err := s.RecordMonitoringStep(ctx, f.town, id, monitoring.ActTown, monitoring.Record{Note: "收入未扣除医疗支出"}, p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.village, id)
		if p.Step != monitoring.StepResubmit || p.Returned != "收入未扣除医疗支出" {
			t.Fatalf("returned: %+v", p)
		}
		in.IncomeFen = 1_500_000
		if err := s.ResubmitMonitoring(ctx, f.village, id, in, "已扣除自付医疗费用", p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.town, id)
		if err := s.RecordMonitoringStep(ctx, f.town, id, monitoring.ActTown, monitoring.Record{Passed: true}, p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.county, id)
		wantCode(t, s.RecordMonitoringStep(ctx, f.town, id, monitoring.ActCounty, monitoring.Record{Passed: true}, p.Version), safetynet.EForbidden, "town confirms")
		clock.Advance(24 * time.Hour)
		if err := s.RecordMonitoringStep(ctx, f.county, id, monitoring.ActCounty, monitoring.Record{Passed: true}, p.Version); err != nil {
			t.Fatal(err)
		}
		p = processOf(t, s, f.village, id)
		if p.Status != monitoring.StatusConfirmed || p.AssignmentID == 0 || p.PerCapitaFen != 500_000 || len(p.Records) != 7 {
			t.Fatalf("confirmed: %+v", p)
		}
		// The case's provisional 突发严重困难户 mark gave way to the confirmed category.
		got := activeMonitored(t, s, f.village, f.household)
		if len(got) != 2 || got[1].Category != safetynet.CatMonitorSudden || got[1].Active() || got[1].EndReason != "changed" {
			t.Fatalf("provisional mark = %+v", got)
		}
		if got[0].Category != safetynet.CatMonitorMarginal || !got[0].Active() || got[0].RiskType != "illness" ||
			!got[0].Start.Equal(time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC)) || got[0].Source != "monitoring" {
			t.Fatalf("register = %+v", got)
		}
		items, _, err := s.WorkList(ctx, f.county, sqlstore.WorkFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.ItemID == id && it.Kind[:11] == "monitoring." {
				t.Fatalf("step still open: %+v", it)
			}
		}
		// A second inclusion of a monitored household is refused.
		_, err = s.ProposeMonitoring(ctx, f.village, f.household, in, 0)
		wantCode(t, err, safetynet.EConflict, "already monitored")
	})
}

// TestMonitoringEscalation: a democratic review left undone goes to the
// town's to-do list with a link to the process.
func TestMonitoringEscalation(t *testing.T) {
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		id, err := s.ProposeMonitoring(ctx, f.village, f.household, monitoring.Proposal{Kind: monitoring.Include, Origin: "application",
			Category: safetynet.CatMonitorSudden, RiskCauses: []string{"disaster"}, IncomeFen: 900_000}, 0)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(4*24*time.Hour + time.Minute)
		res, err := s.Escalate(ctx)
		if err != nil || res.Escalated != 1 {
			t.Fatalf("escalate = %+v %v", res, err)
		}
		items, _, err := s.WorkList(ctx, f.town, sqlstore.WorkFilter{Mine: true})
		if err != nil || len(items) != 1 || items[0].ItemID != id || items[0].Kind != "monitoring.review" ||
			items[0].HouseholdID != f.household || items[0].Subject != "宋奶奶" {
			t.Fatalf("town's to-do = %+v %v", items, err)
		}
		ns, _, err := s.Inbox(ctx, f.town, 10)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range ns {
			found = found || n.Link == monitoring.Link(id)
		}
		if !found {
			t.Fatalf("town not told with a link: %+v", ns)
		}
		p := processOf(t, s, f.town, id)
		if p.StepLevel != safetynet.LevelTown || p.Escalations != 1 || p.Members != 1 {
			t.Fatalf("escalated process: %+v", p)
		}
		// The village still records the review: the step is the village's work, known to the town.
		if err := s.RecordMonitoringStep(ctx, f.village, id, monitoring.ActReview, monitoring.Record{Passed: false, Date: clock.Now(),
			Count: 15, Note: "评议认为收入核算有误"}, p.Version); err != nil {
			t.Fatal(err)
		}
		if p = processOf(t, s, f.town, id); p.Status != monitoring.StatusRejected || p.StepDue.IsZero() == false {
			t.Fatalf("rejected: %+v", p)
		}
	})
}

// TestMonitoringElimination: a household monitored for ten months whose
// income has stayed above the county's line looks ready; elimination ends
// its category with 风险消除 and keeps the household and its history.
func TestMonitoringElimination(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		h2, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾8号"},
			safetynet.PersonInput{Name: "张建国", IDNumber: newID("1970-03-03", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []int64{f.household, h2} {
			if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, h, safetynet.NewAssignment{
				Category: safetynet.CatMonitorUnstable, Start: start.AddDate(0, -10, 0)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordAssessment(ctx, f.village, h2, start.AddDate(0, -8, 0), 2_000_000, 2, "务工收入"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordAssessment(ctx, f.village, h2, start.AddDate(0, -1, 0), 2_200_000, 2, ""); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.RecordAssessment(ctx, f.town, h2, start, 1, 1, ""), safetynet.EForbidden, "town records a review")
		ready, err := s.MonitoredHouseholds(ctx, f.village, "", sqlstore.MonitoredReady)
		if err != nil || len(ready) != 0 {
			t.Fatalf("ready without a line = %+v %v", ready, err)
		}
		if err := s.SetParam(ctx, f.county, "530325", 2026, "monitoring_line", 7500.0); err != nil {
			t.Fatal(err)
		}
		ready, err = s.MonitoredHouseholds(ctx, f.village, "", sqlstore.MonitoredReady)
		if err != nil || len(ready) != 1 || ready[0].HouseholdID != h2 || ready[0].PerCapitaFen != 1_100_000 || ready[0].LineFen != 750_000 {
			t.Fatalf("ready = %+v %v", ready, err)
		}
		overdue, err := s.MonitoredHouseholds(ctx, f.town, "", sqlstore.MonitoredOverdue)
		if err != nil || len(overdue) != 1 || overdue[0].HouseholdID != f.household || overdue[0].MonthsSince != 10 {
			t.Fatalf("overdue = %+v %v", overdue, err)
		}
		id, err := s.ProposeMonitoring(ctx, f.village, h2, monitoring.Proposal{Kind: monitoring.Eliminate, IncomeFen: 2_300_000, Members: 2,
			Reason: "务工收入稳定，住院费用已报销"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			a      access.Actor
			action string
			r      monitoring.Record
		}{
			{f.village, monitoring.ActReview, monitoring.Record{Passed: true, Date: start.AddDate(0, 0, -7), Count: 18}},
			{f.village, monitoring.ActNotice, monitoring.Record{Start: start.AddDate(0, 0, -6), End: start.AddDate(0, 0, -1), Where: "村委会公开栏"}},
			{f.town, monitoring.ActTown, monitoring.Record{Passed: true}},
			{f.county, monitoring.ActCounty, monitoring.Record{Passed: true}},
		}
		for _, st := range steps {
			p := processOf(t, s, st.a, id)
			if err := s.RecordMonitoringStep(ctx, st.a, id, st.action, st.r, p.Version); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		}
		got := activeMonitored(t, s, f.village, h2)
		if len(got) != 1 || got[0].Active() || got[0].EndReason != "risk_eliminated" {
			t.Fatalf("register = %+v", got)
		}
		hv, err := s.HouseholdView(ctx, f.village, h2)
		if err != nil || hv.Household.Status != safetynet.StatusActive {
			t.Fatalf("household after elimination: %+v %v", hv.Household, err)
		}
		all, err := s.MonitoredHouseholds(ctx, f.county, "", sqlstore.MonitoredAll)
		if err != nil || len(all) != 1 || all[0].HouseholdID != f.household {
			t.Fatalf("monitored after elimination = %+v %v", all, err)
		}
		block, err := s.HouseholdMonitoringView(ctx, f.village, h2)
		if err != nil || block.Held != nil || len(block.Past) != 1 || block.Past[0].Kind != monitoring.Eliminate {
			t.Fatalf("household block = %+v %v", block, err)
		}
	})
}

// TestMonitoringProposedOnce: the same proposal sent eight times at once
// (a double tap, a retry) stores one process; the others are conflicts.
func TestMonitoringProposedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRelay(t, s)
		in := monitoring.Proposal{Kind: monitoring.Include, Category: safetynet.CatMonitorMarginal, RiskCauses: []string{"illness"},
			IncomeFen: 1_000_000, Origin: "application"}
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				_, err := s.ProposeMonitoring(ctx, f.village, f.household, in, 0)
				errs <- err
			}()
		}
		ok := 0
		for range 8 {
			err := <-errs
			if err == nil {
				ok++
			} else if safetynet.CodeOf(err) != safetynet.EConflict {
				t.Errorf("proposal: %v", err)
			}
		}
		ps, err := s.MonitoringProcesses(ctx, f.village, sqlstore.MonitoringFilter{})
		if ok != 1 || err != nil || len(ps) != 1 {
			t.Fatalf("%d proposals stored, %d processes (%v)", ok, len(ps), err)
		}
	})
}

// TestMonitoringEndings: an upheld objection ends an inclusion (rejected);
// the county's return goes back to the village; a process not yet with
// the town can be withdrawn, one with the town cannot; an income review
// is only for monitored households.
func TestMonitoringEndings(t *testing.T) {
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		in := monitoring.Proposal{Kind: monitoring.Include, Category: safetynet.CatMonitorMarginal, RiskCauses: []string{"housing"},
			IncomeFen: 1_200_000, Origin: "screening"}
		wantCode(t, s.RecordAssessment(ctx, f.village, f.household, start, 1_000_000, 1, ""), safetynet.EInvalid, "review of a household not monitored")
		step := func(a access.Actor, id int64, action string, r monitoring.Record) error {
			p := processOf(t, s, a, id)
			return s.RecordMonitoringStep(ctx, a, id, action, r, p.Version)
		}
		id, err := s.ProposeMonitoring(ctx, f.village, f.household, in, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := step(f.village, id, monitoring.ActReview, monitoring.Record{Passed: true, Date: start.AddDate(0, 0, -7), Count: 12}); err != nil {
			t.Fatal(err)
		}
		if err := step(f.village, id, monitoring.ActNotice, monitoring.Record{Start: start.AddDate(0, 0, -6), End: start.AddDate(0, 0, -1),
			Where: "公开栏", Objection: "邻居反映其有稳定务工收入", Upheld: true}); err != nil {
			t.Fatal(err)
		}
		if p := processOf(t, s, f.village, id); p.Status != monitoring.StatusRejected || !p.StepDue.IsZero() {
			t.Fatalf("upheld objection: %+v", p)
		}
		if got := activeMonitored(t, s, f.village, f.household); len(got) != 0 {
			t.Fatalf("register changed: %+v", got)
		}
		// A second try, returned by the county.
		id, err = s.ProposeMonitoring(ctx, f.village, f.household, in, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []struct {
			a      access.Actor
			action string
			r      monitoring.Record
		}{
			{f.village, monitoring.ActReview, monitoring.Record{Passed: true, Date: start.AddDate(0, 0, -7), Count: 12}},
			{f.village, monitoring.ActNotice, monitoring.Record{Start: start.AddDate(0, 0, -6), End: start.AddDate(0, 0, -1), Where: "公开栏"}},
			{f.town, monitoring.ActTown, monitoring.Record{Passed: true}},
		} {
			if err := step(st.a, id, st.action, st.r); err != nil {
				t.Fatalf("%s: %v", st.action, err)
			}
		}
		wantCode(t, s.WithdrawMonitoring(ctx, f.village, id, "不再申请", processOf(t, s, f.village, id).Version), safetynet.EConflict, "withdraw at the county")
		if err := step(f.county, id, monitoring.ActCounty, monitoring.Record{Note: "住房安全问题需住建部门鉴定"}); err != nil {
			t.Fatal(err)
		}
		p := processOf(t, s, f.village, id)
		if p.Status != monitoring.StatusOpen || p.Step != monitoring.StepResubmit || p.Returned != "住房安全问题需住建部门鉴定" ||
			p.StepLevel != safetynet.LevelVillage {
			t.Fatalf("county's return: %+v", p)
		}
		wantCode(t, s.WithdrawMonitoring(ctx, f.village, id, "", p.Version), safetynet.EInvalid, "withdraw without reason")
		if err := s.WithdrawMonitoring(ctx, f.village, id, "农户不再申请", p.Version); err != nil {
			t.Fatal(err)
		}
		if p = processOf(t, s, f.village, id); p.Status != monitoring.StatusWithdrawn || p.Records[len(p.Records)-1].Action != monitoring.ActWithdraw {
			t.Fatalf("withdrawn: %+v", p)
		}
	})
}
