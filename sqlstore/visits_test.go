package sqlstore_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/visits"
)

func dayItems(t *testing.T, s *sqlstore.Store, a access.Actor) []visits.Item {
	t.Helper()
	d, err := s.VisitDay(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sections) == 0 || d.Sections[0].Name != visits.SectionVisits {
		t.Fatalf("sections = %+v", d.Sections)
	}
	return d.Sections[0].Items
}

func whats(items []visits.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.What)
	}
	return out
}

// TestVisitsStory: a key family gets a daily call and a weekly home visit;
// the call is recorded once though sent twice; a hospitalisation warning
// adds a must-visit; the next local day (across the month's end) brings
// the call again but not the home visit; an unmade visit escalates.
func TestVisitsStory(t *testing.T) {
	sh := visits.Zone("")
	start := time.Date(2027, 1, 31, 9, 0, 0, 0, sh)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		vol := actorOf(mustUser(t, s, sys, "linju", safetynet.RoleVolunteer, "530325002009"))
		wantCode(t, s.MarkKeyFamily(ctx, f.grid, f.household, true, ""), safetynet.EForbidden, "grid worker marks")
		if err := s.MarkKeyFamily(ctx, f.village, f.household, true, "六帮六助"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkKeyFamily(ctx, f.village, f.household, true, "六帮六助"); err != nil {
			t.Fatal(err)
		}
		g, err := s.GenerateVisits(ctx)
		if err != nil || g.Created != 2 || g.Date != "2027-01-31" {
			t.Fatalf("generate = %+v %v", g, err)
		}
		if g, err = s.GenerateVisits(ctx); err != nil || g.Created != 0 {
			t.Fatalf("generate again = %+v %v", g, err)
		}
		items := dayItems(t, s, f.grid)
		if len(items) != 2 || items[0].Name != "宋奶奶" {
			t.Fatalf("grid worker's day = %+v", items)
		}
		if got := dayItems(t, s, vol); len(got) != 0 {
			t.Fatalf("unpaired neighbour sees %+v", got)
		}
		_, _, err = s.RecordVisit(ctx, vol, visits.NewVisit{ClientID: "v-0", HouseholdID: f.household, Kind: visits.KindCall, Result: visits.ResultFine})
		wantCode(t, err, safetynet.EInvalid, "unpaired neighbour records")
		if _, err := s.PairVisitor(ctx, f.village, sqlstore.NewVisitPair{HouseholdID: f.household, Level: visits.LevelNeighbour, UserID: vol.UserID}); err != nil {
			t.Fatal(err)
		}
		_, err = s.PairVisitor(ctx, f.village, sqlstore.NewVisitPair{HouseholdID: f.household, Level: visits.LevelTown, UserID: vol.UserID})
		wantCode(t, err, safetynet.EInvalid, "a volunteer as town cadre")
		if _, err := s.PairVisitor(ctx, f.village, sqlstore.NewVisitPair{HouseholdID: f.household, Level: visits.LevelNeighbour,
			Name: "赵邻居", Phone: "13800001111"}); err != nil {
			t.Fatal(err)
		}
		pairs, err := s.VisitPairs(ctx, f.village, f.household)
		if err != nil || len(pairs) != 2 || pairs[1].Phone == "13800001111" {
			t.Fatalf("pairs = %+v %v", pairs, err)
		}
		if got := dayItems(t, s, vol); len(got) != 2 {
			t.Fatalf("paired neighbour sees %+v", got)
		}
		call := visits.NewVisit{ClientID: "v-1", HouseholdID: f.household, Kind: visits.KindCall, Result: visits.ResultFine}
		r, created, err := s.RecordVisit(ctx, f.grid, call)
		if err != nil || !created || r.Closed != 1 {
			t.Fatalf("call = %+v %v %v", r, created, err)
		}
		again, created, err := s.RecordVisit(ctx, f.grid, call)
		if err != nil || created || again.ID != r.ID {
			t.Fatalf("resend = %+v %v %v", again, created, err)
		}
		_, _, err = s.RecordVisit(ctx, vol, call)
		wantCode(t, err, safetynet.EConflict, "another's client id")
		if got := whats(dayItems(t, s, f.grid)); len(got) != 1 || got[0] != visits.NeedHome {
			t.Fatalf("after the call: %v", got)
		}
		if _, _, err := s.ReportClue(ctx, f.grid, safetynet.NewClue{ClientID: "w-1", Source: "department", HouseholdID: f.household,
			Kinds: []string{"illness"}, Urgency: "normal", Note: "住院"}); err != nil {
			t.Fatal(err)
		}
		items = dayItems(t, s, f.grid)
		if got := whats(items); len(got) != 2 || got[1] != "must_hospital" {
			t.Fatalf("after the warning: %v", got)
		}
		if want := start.Add(24 * time.Hour); !items[1].Due.Equal(want) {
			t.Fatalf("must-visit due %s, want %s", items[1].Due, want)
		}
		home := visits.NewVisit{ClientID: "v-2", HouseholdID: f.household, Kind: visits.KindHome, Result: visits.ResultFine,
			Checklist: []string{"food", "medicine"}}
		if r, _, err = s.RecordVisit(ctx, f.grid, home); err != nil || r.Closed != 2 || len(r.Checklist) != 2 {
			t.Fatalf("home visit = %+v %v", r, err)
		}
		if got := dayItems(t, s, f.grid); len(got) != 0 {
			t.Fatalf("after the home visit: %+v", got)
		}
		// 23:59 is still 31 January; 00:01 is 1 February: the daily call
		// is due again, the weekly home visit is not.
		clock.Set(time.Date(2027, 1, 31, 23, 59, 0, 0, sh))
		if g, err = s.GenerateVisits(ctx); err != nil || g.Created != 0 {
			t.Fatalf("generate before midnight = %+v %v", g, err)
		}
		clock.Set(time.Date(2027, 2, 1, 0, 1, 0, 0, sh))
		if g, err = s.GenerateVisits(ctx); err != nil || g.Created != 1 || g.Date != "2027-02-01" {
			t.Fatalf("generate after midnight = %+v %v", g, err)
		}
		if got := whats(dayItems(t, s, f.grid)); len(got) != 1 || got[0] != visits.NeedAny {
			t.Fatalf("1 February: %v", got)
		}
		// Not made by the end of the day: the step goes to the village
		// (with the warning's clue, still not acknowledged).
		clock.Set(time.Date(2027, 2, 2, 0, 5, 0, 0, sh))
		res, err := s.Escalate(ctx)
		if err != nil || res.Escalated != 2 {
			t.Fatalf("escalate = %+v %v", res, err)
		}
		if items = dayItems(t, s, f.grid); len(items) != 1 || !items[0].Overdue {
			t.Fatalf("overdue: %+v", items)
		}
		cov, err := s.VisitCoverage(ctx, f.county, "530325002009", time.Date(2027, 1, 31, 0, 0, 0, 0, sh), time.Date(2027, 2, 2, 0, 0, 0, 0, sh), 1)
		if err != nil {
			t.Fatal(err)
		}
		if tot := cov.Total; tot.Now.Due != 4 || tot.Now.OnTime != 3 || tot.Now.Overdue != 1 || tot.Now.Visits != 2 || tot.Now.Percent != 75 {
			t.Fatalf("coverage = %+v", tot)
		}
		// Last seen 31 January, on 2 February: not visited for a day.
		if len(cov.NotVisited) != 1 || cov.NotVisited[0].LastVisit != "2027-01-31" || cov.Total.NotVisited != 1 {
			t.Fatalf("not visited for 1 day: %+v", cov.NotVisited)
		}
		_, err = s.VisitCoverage(ctx, f.grid, "", start, start, 7)
		wantCode(t, err, safetynet.EForbidden, "grid worker's coverage")
	})
}

func TestVisitPlanSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRelay(t, s)
		p, err := s.VisitPlan(ctx)
		if err != nil || p.Version != 0 || len(p.Frequencies) != len(visits.DefaultFrequencies) {
			t.Fatalf("plan = %+v %v", p, err)
		}
		p.Frequencies = append(p.Frequencies[:0:0], visits.Frequency{Group: visits.GroupElderlyAlone, Need: visits.NeedAny, Every: 2, Unit: visits.UnitDay})
		_, err = s.SetVisitPlan(ctx, f.village, p, 0)
		wantCode(t, err, safetynet.EForbidden, "village staff sets the plan")
		bad := p
		bad.Frequencies = []visits.Frequency{{Group: "vip", Need: visits.NeedAny, Every: 1, Unit: visits.UnitDay}}
		_, err = s.SetVisitPlan(ctx, f.county, bad, 0)
		if e := safetynet.AsError(err); e == nil || e.Field != "frequencies[0].group" {
			t.Fatalf("bad group: %v", err)
		}
		got, err := s.SetVisitPlan(ctx, f.county, p, 0)
		if err != nil || got.Version != 1 {
			t.Fatalf("set = %+v %v", got, err)
		}
		_, err = s.SetVisitPlan(ctx, f.county, p, 0)
		wantCode(t, err, safetynet.EConflict, "stale version")
		if p, _ = s.VisitPlan(ctx); len(p.Frequencies) != 1 || p.Frequencies[0].Every != 2 {
			t.Fatalf("stored = %+v", p)
		}
		// Key families have no frequency now: nothing falls due.
		if err := s.MarkKeyFamily(ctx, f.village, f.household, true, ""); err != nil {
			t.Fatal(err)
		}
		if g, err := s.GenerateVisits(ctx); err != nil || g.Created != 0 {
			t.Fatalf("generate = %+v %v", g, err)
		}
	})
}

// TestGenerateVisitsDaily: the loop's question generates once per local
// day, again after local midnight.
func TestGenerateVisitsDaily(t *testing.T) {
	sh := visits.Zone("")
	start := time.Date(2027, 2, 28, 23, 0, 0, 0, sh)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		if err := s.MarkKeyFamily(ctx, f.village, f.household, true, ""); err != nil {
			t.Fatal(err)
		}
		for i, want := range []struct {
			at      time.Time
			ran     bool
			created int
		}{
			{start, true, 2},
			{start.Add(30 * time.Minute), false, 0},
			{time.Date(2027, 3, 1, 0, 1, 0, 0, sh), true, 0}, // yesterday's are still open
		} {
			clock.Set(want.at)
			g, ran, err := s.GenerateVisitsDaily(ctx)
			if err != nil || ran != want.ran || g.Created != want.created {
				t.Fatalf("%d: %+v ran=%v %v", i, g, ran, err)
			}
		}
	})
}

// TestVisitRecordReturned: the record RecordVisit returns, built in the
// write, equals the one read back (HouseholdVisits), for a new visit, a
// resend, a visit that closed nothing, and a neighbour's resend after the
// pair was undone.
func TestVisitRecordReturned(t *testing.T) {
	sh := visits.Zone("")
	start := time.Date(2027, 3, 31, 10, 0, 0, 0, sh)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		u, err := s.CreateUser(ctx, sys, safetynet.NewUser{Username: "wangfang", DisplayName: "棠梨湾王芳", Role: safetynet.RoleGridWorker,
			PlaceCode: "530325002009-01-01", Password: "secret-wangfang"})
		if err != nil {
			t.Fatal(err)
		}
		w := actorOf(u)
		if err := s.MarkKeyFamily(ctx, f.village, f.household, true, ""); err != nil {
			t.Fatal(err)
		}
		if g, err := s.GenerateVisits(ctx); err != nil || g.Created != 2 {
			t.Fatalf("generate = %+v %v", g, err)
		}
		reread := func(a access.Actor, id int64) sqlstore.VisitRecord {
			t.Helper()
			list, err := s.HouseholdVisits(ctx, a, f.household, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list {
				if r.ID == id {
					return r
				}
			}
			t.Fatalf("visit %d not in %+v", id, list)
			return sqlstore.VisitRecord{}
		}
		home := visits.NewVisit{ClientID: "r-1", HouseholdID: f.household, Kind: visits.KindHome, Result: visits.ResultFine,
			Note: " 老人精神很好 ", Checklist: []string{"food", "medicine"}, MadeAt: start.Add(-90*time.Minute + 123456789)}
		r, created, err := s.RecordVisit(ctx, w, home)
		if err != nil || !created {
			t.Fatalf("home visit = %+v %v %v", r, created, err)
		}
		if r.Closed != 2 || r.Visitor != "棠梨湾王芳" || r.Note != "老人精神很好" || !r.MadeAt.Equal(start.Add(-90*time.Minute+123*time.Millisecond)) {
			t.Fatalf("returned = %+v", r)
		}
		if got := reread(w, r.ID); !reflect.DeepEqual(got, r) {
			t.Fatalf("returned %+v\nread back %+v", r, got)
		}
		again, created, err := s.RecordVisit(ctx, w, home)
		if err != nil || created || !reflect.DeepEqual(again, r) {
			t.Fatalf("resend = %+v %v %v, want %+v", again, created, err, r)
		}
		call, created, err := s.RecordVisit(ctx, w, visits.NewVisit{ClientID: "r-2", HouseholdID: f.household, Kind: visits.KindCall, Result: visits.ResultFine})
		if err != nil || !created || call.Closed != 0 || call.Checklist == nil || len(call.Checklist) != 0 || call.Visitor != "棠梨湾王芳" {
			t.Fatalf("call = %+v %v %v", call, created, err)
		}
		if got := reread(w, call.ID); !reflect.DeepEqual(got, call) {
			t.Fatalf("returned %+v\nread back %+v", call, got)
		}
		// The steps of the visits due were closed with them.
		if got := dayItems(t, s, w); len(got) != 0 {
			t.Fatalf("day after the visits: %+v", got)
		}
		// Each visit is on the household's timeline, once.
		hv, err := s.HouseholdView(ctx, f.village, f.household)
		if err != nil {
			t.Fatal(err)
		}
		var onTimeline []string
		for _, e := range hv.Events {
			if e.Kind == "visit" {
				onTimeline = append(onTimeline, fmt.Sprint(e.Detail["kind"], "/", e.Detail["result"], "/", e.Detail["visit"], "/", e.Username))
			}
		}
		if want := []string{fmt.Sprint("call/fine/", call.ID, "/wangfang"), fmt.Sprint("home/fine/", r.ID, "/wangfang")}; !reflect.DeepEqual(onTimeline, want) {
			t.Fatalf("timeline = %v, want %v", onTimeline, want)
		}
		// A neighbour records, the pair is undone, the phone sends again:
		// the visit recorded comes back, a new one is refused.
		vol := actorOf(mustUser(t, s, sys, "linju", safetynet.RoleVolunteer, "530325002009"))
		pair, err := s.PairVisitor(ctx, f.village, sqlstore.NewVisitPair{HouseholdID: f.household, Level: visits.LevelNeighbour, UserID: vol.UserID})
		if err != nil {
			t.Fatal(err)
		}
		seen := visits.NewVisit{ClientID: "r-3", HouseholdID: f.household, Kind: visits.KindPassing, Result: visits.ResultNotFine}
		nr, created, err := s.RecordVisit(ctx, vol, seen)
		if err != nil || !created || nr.Visitor != "linju" {
			t.Fatalf("neighbour = %+v %v %v", nr, created, err)
		}
		if err := s.UnpairVisitor(ctx, f.village, pair); err != nil {
			t.Fatal(err)
		}
		again, created, err = s.RecordVisit(ctx, vol, seen)
		if err != nil || created || !reflect.DeepEqual(again, nr) {
			t.Fatalf("resend after unpairing = %+v %v %v, want %+v", again, created, err, nr)
		}
		seen.ClientID = "r-4"
		_, _, err = s.RecordVisit(ctx, vol, seen)
		wantCode(t, err, safetynet.EInvalid, "unpaired neighbour's new visit")
		if got := reread(w, nr.ID); !reflect.DeepEqual(got, nr) {
			t.Fatalf("neighbour's visit returned %+v\nread back %+v", nr, got)
		}
	})
}
