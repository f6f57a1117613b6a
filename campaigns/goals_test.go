package campaigns

import (
	"testing"
	"time"
)

func TestFigureStatus(t *testing.T) {
	for _, c := range []struct {
		name    string
		f       Figure
		share   bool
		elapsed int64
		value   int64
		want    string
		missing int64
	}{
		{"share met", Figure{Num: 4, Den: 4, Target: 1000}, true, 500, 1000, GoalMet, 0},
		{"share on track", Figure{Num: 3, Den: 5, Target: 1000}, true, 508, 600, GoalOnTrack, 2},
		{"share behind", Figure{Num: 2, Den: 4, Target: 1000}, true, 508, 500, GoalBehind, 2},
		{"share of 80% reached", Figure{Num: 4, Den: 5, Target: 800}, true, 900, 800, GoalMet, 0},
		{"share rounds the need up", Figure{Num: 0, Den: 3, Target: 500}, true, 0, 0, GoalOnTrack, 2},
		{"empty group", Figure{Num: 0, Den: 0, Target: 1000}, true, 900, 0, GoalNone, 0},
		{"count behind", Figure{Num: 1, Target: 4}, false, 300, 1, GoalBehind, 3},
		{"count over", Figure{Num: 9, Target: 4}, false, 1000, 9, GoalMet, 0},
		{"no target", Figure{Num: 0, Target: 0}, false, 1000, 0, GoalMet, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if v := c.f.Value(c.share); v != c.value {
				t.Errorf("value = %d, want %d", v, c.value)
			}
			if s := c.f.Status(c.share, c.elapsed); s != c.want {
				t.Errorf("status = %s, want %s", s, c.want)
			}
			if m := c.f.Missing(c.share); m != c.missing {
				t.Errorf("missing = %d, want %d", m, c.missing)
			}
		})
	}
}

func TestSumsAndTargets(t *testing.T) {
	a, b := Figure{Num: 1, Den: 2, Tagged: 1, Target: 2}, Figure{Num: 3, Den: 4, Target: 2}
	if s := a.Add(b); s != (Figure{Num: 4, Den: 6, Tagged: 1, Target: 4}) {
		t.Fatalf("sum = %+v", s)
	}
	// A level's share is its sums' share, not the average of its places' shares.
	if v := a.Add(b).Value(true); v != 666 {
		t.Fatalf("share of the sum = %d", v)
	}
	if PlaceTarget(MetricVisitedShare, 1000, 12) != 1000 || PlaceTarget(MetricActivities, 2, 12) != 24 {
		t.Fatal("place targets")
	}
}

func TestElapsed(t *testing.T) {
	for _, c := range []struct {
		today string
		want  int64
	}{{"2027-02-28", 0}, {"2027-03-01", 8}, {"2027-05-01", 508}, {"2027-06-30", 1000}, {"2027-07-09", 1000}} {
		if got := Elapsed("2027-03-01", "2027-06-30", c.today); got != c.want {
			t.Errorf("elapsed on %s = %d, want %d", c.today, got, c.want)
		}
	}
	if PerMille(875) != "87.5%" || PerMille(1000) != "100%" || PerMille(0) != "0%" {
		t.Fatal("per mille text")
	}
}

func TestGoalReviewDue(t *testing.T) {
	last := time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC)
	end := time.Date(2027, 5, 6, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		last time.Time
		now  time.Time
		ends []time.Time
		want bool
	}{
		{"first review", time.Time{}, last, nil, true},
		{"within the week", last, last.Add(3 * 24 * time.Hour), nil, false},
		{"a week on", last, last.Add(7 * 24 * time.Hour), nil, true},
		{"a stage ended since", last, end.Add(time.Hour), []time.Time{end}, true},
		{"a stage ends later", last, end.Add(-time.Hour), []time.Time{end}, false},
		{"a stage ended before the last review", end.Add(time.Hour), end.Add(2 * time.Hour), []time.Time{end}, false},
	} {
		if got := GoalReviewDue(c.last, c.now, c.ends); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidExample(t *testing.T) {
	if _, ok := ValidExample("结对关爱", "每周上门"); !ok {
		t.Fatal("valid example refused")
	}
	if f, ok := ValidExample(" ", "x"); ok || f != "title" {
		t.Fatal("empty title accepted")
	}
	if f, ok := ValidExample("x", ""); ok || f != "text" {
		t.Fatal("empty text accepted")
	}
}
