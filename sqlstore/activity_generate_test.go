package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/demo"
	"safetynet/funds"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// activityFigures are the figures the generated activity shows in, read
// through the modules' own figure functions over the whole tree.
type activityFigures struct {
	clues, cases, helped, open, overdue int
	visits, visitsDue                   int
	pactDays, pactLate                  int
	fundsIn                             sqlstore.FundSums
	services, servicesReviewed          int
	settledFen                          int64
	volTimes, volMinutes                int
	colours                             int
}

func readActivityFigures(t *testing.T, s *sqlstore.Store, from, to time.Time) activityFigures {
	t.Helper()
	sys, root := access.System(), safetynet.RootPlaceCode
	var f activityFigures
	rf, err := s.Figures(ctx, sys, root, from, to)
	if err != nil {
		t.Fatalf("relay figures: %v", err)
	}
	f.clues, f.cases, f.helped, f.open, f.overdue = rf.Place.Current.Clues, rf.Place.Current.Cases, rf.Place.Current.Households,
		rf.Place.Open, rf.Place.Overdue
	cov, err := s.VisitCoverage(ctx, sys, root, from, to, 7)
	if err != nil {
		t.Fatalf("visit coverage: %v", err)
	}
	f.visits, f.visitsDue = cov.Total.Now.Visits, cov.Total.Now.Due
	day := func(x time.Time) string { return x.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly) }
	pf, err := s.PactFigures(ctx, sys, root, day(from), day(to))
	if err != nil {
		t.Fatalf("pact figures: %v", err)
	}
	for _, p := range pf {
		f.pactDays += p.Now.Kept + p.Now.Missed
		f.pactLate += p.Now.Late
	}
	ff, err := s.FundFigures(ctx, sys, root, funds.Period{From: from, To: to, PrevFrom: from.Add(-to.Sub(from)), Months: 6})
	if err != nil {
		t.Fatalf("fund figures: %v", err)
	}
	f.fundsIn = ff.Total.Current
	month := func(x time.Time) string { return x.In(time.FixedZone("CST", 8*3600)).Format("2006-01") }
	sf, err := s.ServiceFiguresOf(ctx, sys, root, month(from), month(to))
	if err != nil {
		t.Fatalf("service figures: %v", err)
	}
	f.services, f.servicesReviewed, f.settledFen = sf.Place.Current.Services, sf.Place.Current.Reviewed, sf.Place.Current.SettledFen
	vh, err := s.VolunteerHoursOf(ctx, sys, root, from, to)
	if err != nil {
		t.Fatalf("volunteer hours: %v", err)
	}
	f.volTimes, f.volMinutes = vh.Times, vh.Minutes
	cc, err := s.ColourCounts(ctx, sys, root)
	if err != nil {
		t.Fatalf("colour counts: %v", err)
	}
	for _, n := range cc {
		f.colours += n
	}
	return f
}

// TestActivityGenerateFigures: half a year of activity generated on a
// small demo register shows, through each module's figure functions, as
// many clues, cases, open and overdue steps, visits, pact days, funds,
// services, volunteer hours and colours as were generated; a second run
// is refused.
func TestActivityGenerateFigures(t *testing.T) {
	clock := storetest.NewClock(time.Now().Add(-2 * time.Hour)) // the demo dates its households by the wall clock
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		if _, err := demo.Load(ctx, s, demo.Options{Households: 150, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour) // the demo's own records are an hour old
		end := clock.Now()
		from, to := end.AddDate(0, -6, 0).Add(-24*time.Hour), end.Add(24*time.Hour)
		before := readActivityFigures(t, s, from, to)
		res, err := s.GenerateActivity(ctx, sqlstore.ActivityOptions{Months: 6, Seed: 3, Scale: 40})
		if err != nil {
			t.Fatal(err)
		}
		after := readActivityFigures(t, s, from, to)
		t.Logf("generated %d clues, %d cases, %d open steps (%d overdue), %d pact days, %d services", res.Rows["clues"], res.Rows["cases"],
			res.OpenSteps, res.OverdueSteps, res.Rows["pact_days"], res.Rows["service_records"])
		for table, least := range map[string]int{"clues": 100, "cases": 50, "case_measures": 50, "deadlines": 200, "visit_records": 10,
			"pact_days": 100, "service_records": 100, "volunteer_takes": 10, "fund_entries": 10, "monitoring_processes": 5,
			"household_colours": 1} {
			if res.Rows[table] < least {
				t.Errorf("%s: %d rows generated, want at least %d", table, res.Rows[table], least)
			}
		}
		for _, c := range []struct {
			what      string
			got, want int
		}{
			{"clues", after.clues - before.clues, res.Rows["clues"]},
			{"cases", after.cases - before.cases, res.Rows["cases"]},
			{"open steps", after.open - before.open, res.OpenSteps},
			{"overdue steps", after.overdue - before.overdue, res.OverdueSteps},
			{"visits", after.visits - before.visits, res.Rows["visit_records"]},
			{"pact days", after.pactDays - before.pactDays, res.Rows["pact_days"]},
			{"funds received", int(after.fundsIn.Received - before.fundsIn.Received), int(res.Funds.Received)},
			{"funds allocated", int(after.fundsIn.Allocated - before.fundsIn.Allocated), int(res.Funds.Allocated)},
			{"funds spent", int(after.fundsIn.Spent - before.fundsIn.Spent), int(res.Funds.Spent)},
			{"services", after.services - before.services, res.Rows["service_records"]},
			{"services reviewed", after.servicesReviewed - before.servicesReviewed, res.ServicesReviewed},
			{"services settled", int(after.settledFen - before.settledFen), int(res.ServicesSettledFen)},
			{"volunteer times", after.volTimes - before.volTimes, res.VolunteerTimes},
			{"volunteer minutes", after.volMinutes - before.volMinutes, res.VolunteerMinutes},
			{"colours", after.colours - before.colours, res.Rows["household_colours"]},
		} {
			if c.got != c.want {
				t.Errorf("%s: the figures show %d more, %d generated", c.what, c.got, c.want)
			}
		}
		if after.helped <= before.helped || after.pactLate <= before.pactLate || res.ServicesSettledFen == 0 ||
			after.visitsDue < after.visits-before.visits {
			t.Errorf("figures: helped %d→%d, late pact days %d→%d, settled %d fen, visits due %d for %d visits",
				before.helped, after.helped, before.pactLate, after.pactLate, res.ServicesSettledFen,
				after.visitsDue, after.visits-before.visits)
		}
		if res.OpenSteps == 0 || res.OverdueSteps == 0 || res.OverdueSteps > res.OpenSteps {
			t.Errorf("open steps %d, overdue %d: want some of each", res.OpenSteps, res.OverdueSteps)
		}
		// The pages read them: a generated case and the work list.
		county := access.Actor{Username: "county", Role: safetynet.RoleCountyOfficer, Place: demo.Fuyuan}
		if _, err := s.MonitoredHouseholds(ctx, county, "", sqlstore.MonitoredAll); err != nil {
			t.Fatalf("monitored households: %v", err)
		}
		if _, err := s.GenerateActivity(ctx, sqlstore.ActivityOptions{Months: 6, Seed: 3}); safetynet.CodeOf(err) != safetynet.EConflict {
			t.Fatalf("a second run: %v, want a conflict", err)
		}
	})
}
