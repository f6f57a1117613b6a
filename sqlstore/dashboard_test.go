package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/dashboards"
	"safetynet/demo"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// TestDashboardSumsOfPlaces: on the demo data with generated households
// (every module's demo records, a year back), the dashboard of the county
// is the sum of its towns' and of what is kept at the county itself, each
// town's row equals that town's own dashboard, and so down to the
// villages; the figures are not all zero; and a town officer gets only
// its own town, not its neighbour nor the county.
func TestDashboardSumsOfPlaces(t *testing.T) {
	clock := storetest.NewClock(time.Now().Truncate(time.Second))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s, demo.Options{Households: 300, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GenerateActivity(ctx, sqlstore.ActivityOptions{Months: 14, Seed: 3, Scale: 30, End: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		county := actorFor(t, s, "county")
		p, err := dashboards.NewPeriod(dashboards.Year, clock.Now(), time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		nonZero := map[string]bool{}
		var check func(place string, depth int) dashboards.Values
		check = func(place string, depth int) dashboards.Values {
			d, err := s.Dashboard(ctx, county, place, p)
			if err != nil {
				t.Fatalf("%s: %v", place, err)
			}
			sum := dashboards.Values{}
			sum.Add(d.Own.Cur)
			for _, c := range d.Children {
				sum.Add(c.Cur)
				if depth < 2 && len(c.Cur) > 0 {
					// The row of a place below equals that place's own dashboard.
					got := check(c.Place.Code, depth+1)
					assertValues(t, c.Place.Code+" as a row vs its own dashboard", c.Cur, got)
				}
			}
			assertValues(t, place+" total vs own + places", d.Total.Cur, sum)
			for k, v := range d.Total.Cur {
				if v != 0 {
					nonZero[k] = true
				}
			}
			return d.Total.Cur
		}
		check("530325", 0)
		for _, k := range []string{dashboards.KeyVisits, dashboards.KeyOpen, dashboards.KeyFundReceived, dashboards.KeyCategory + "dibao",
			dashboards.KeyHelped, dashboards.KeyResolved, dashboards.KeySvcTimes, dashboards.KeyVolMinutes, dashboards.KeyPactKept,
			dashboards.KeyInclude, dashboards.KeyColour + "red"} {
			if !nonZero[k] {
				t.Errorf("figure %s is zero everywhere: the test proves nothing of it (non-zero: %v)", k, nonZero)
			}
		}
		// Scope: the town officer sees its town, not the county nor a neighbour.
		town := actorFor(t, s, "town")
		if _, err := s.Dashboard(ctx, town, "", p); err != nil {
			t.Fatalf("own town: %v", err)
		}
		for _, other := range []string{"530325", "530325001"} {
			if _, err := s.Dashboard(ctx, town, other, p); code(err) != safetynet.ENotFound {
				t.Errorf("town officer's dashboard of %s: %v, want not found", other, err)
			}
		}
		vol := actorFor(t, s, "volunteer")
		if _, err := s.Dashboard(ctx, vol, "", p); err == nil {
			t.Errorf("a volunteer got a dashboard")
		}
	})
}

func actorFor(t *testing.T, s *sqlstore.Store, username string) access.Actor {
	t.Helper()
	u, err := s.UserByUsername(context.Background(), access.System(), username)
	if err != nil {
		t.Fatal(err)
	}
	return actorOf(u)
}

func assertValues(t *testing.T, what string, got, want dashboards.Values) {
	t.Helper()
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s: %s = %d, want %d", what, k, got[k], want[k])
		}
	}
	for k := range got {
		if got[k] != want[k] {
			t.Errorf("%s: %s = %d, want %d", what, k, got[k], want[k])
		}
	}
}

// TestDashboardCategoriesKept: the categories held on a day, read from
// dash_categories (kept by triggers) and the changes since, equal those
// counted live from the assignments — on generated data with a year of
// activity, after categories are assigned, ended, moved and deleted, for
// today, past days and the root, the county and a village.
func TestDashboardCategoriesKept(t *testing.T) {
	clock := storetest.NewClock(time.Now().Truncate(time.Second))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, s, demo.Options{Households: 200, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GenerateActivity(ctx, sqlstore.ActivityOptions{Months: 12, Seed: 9, Scale: 30, End: clock.Now()}); err != nil {
			t.Fatal(err)
		}
		village := actorFor(t, s, "village")
		hs, err := s.Households(ctx, village, sqlstore.HouseholdFilter{PlaceCode: demo.Yaozhan, Limit: 3})
		if err != nil || len(hs) < 2 {
			t.Fatalf("households %v %v", hs, err)
		}
		// Written through the store: a category started last month and one ended today.
		id, err := s.AssignCategory(ctx, village, safetynet.SubjectHousehold, hs[0].ID, safetynet.NewAssignment{Category: "tekun",
			Start: clock.Now().AddDate(0, -1, 0), Reason: "特困供养审批"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EndCategory(ctx, village, id, safetynet.EndAssignment{End: clock.Now(), Reason: "other", Note: "测试"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AssignCategory(ctx, village, safetynet.SubjectHousehold, hs[1].ID, safetynet.NewAssignment{Category: "tekun",
			Start: clock.Now().AddDate(0, 0, -3), Reason: "特困供养审批"}); err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, place := range []string{safetynet.RootPlaceCode, "530325", demo.Yaozhan} {
			for _, back := range []int{0, 2, 10, 40, 200, 400} {
				day := clock.Now().AddDate(0, 0, -back)
				live, err := s.DashboardCategories(ctx, place, day, true)
				if err != nil {
					t.Fatal(err)
				}
				kept, err := s.DashboardCategories(ctx, place, day, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(live) == 0 {
					t.Fatalf("%s on %s: no categories: the test proves nothing", place, day.Format("2006-01-02"))
				}
				for code := range live {
					assertValues(t, place+" "+day.Format("2006-01-02")+" "+code, kept[code], live[code])
					compared++
				}
				for code := range kept {
					if live[code] == nil {
						t.Errorf("%s %s: kept has %s %v, live nothing", place, day.Format("2006-01-02"), code, kept[code])
					}
				}
			}
		}
		t.Logf("%d places' categories compared", compared)
	})
}
