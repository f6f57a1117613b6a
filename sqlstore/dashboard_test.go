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
		for _, k := range []string{dashboards.KeyVisits, dashboards.KeyOpen, dashboards.KeyFundReceived, dashboards.KeyCategory + "dibao"} {
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
