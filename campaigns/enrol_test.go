package campaigns

import (
	"testing"
	"time"

	"safetynet"
)

func TestShownStatus(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, Zone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		name, status, ends string
		submitted, now     time.Time
		want               string
		late               bool
	}{
		{"not started before the end", VillageNotStarted, "2021-10-31", time.Time{}, at("2021-10-31 23:59"), VillageNotStarted, false},
		{"not started after the end, Shanghai midnight", VillageNotStarted, "2021-10-31", time.Time{}, at("2021-11-01 00:00"), VillageLate, false},
		{"in progress after the end", VillageInProgress, "2021-10-31", time.Time{}, at("2021-11-05 09:00"), VillageLate, false},
		{"in progress", VillageInProgress, "2021-10-31", time.Time{}, at("2021-10-20 09:00"), VillageInProgress, false},
		{"submitted on the last day", VillageSubmitted, "2021-10-31", at("2021-10-31 22:00"), at("2021-11-05 09:00"), VillageSubmitted, false},
		{"submitted late", VillageSubmitted, "2021-10-31", at("2021-11-01 08:00"), at("2021-11-05 09:00"), VillageSubmitted, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, late := ShownStatus(c.status, c.ends, c.submitted, c.now)
			if got != c.want || late != c.late {
				t.Fatalf("ShownStatus = %s, %v; want %s, %v", got, late, c.want, c.late)
			}
		})
	}
	// UTC 16:00 on the 31st is already the 1st in Shanghai.
	if got, _ := ShownStatus(VillageNotStarted, "2021-10-31", time.Time{}, time.Date(2021, 10, 31, 16, 0, 0, 0, time.UTC)); got != VillageLate {
		t.Fatalf("UTC evening of the last day = %s, want late (Shanghai's next day)", got)
	}
}

func TestCounts(t *testing.T) {
	c := Counts{"left_behind_elderly": 3, "left_behind_child": 0}
	s := c.String()
	if s != "left_behind_child=0,left_behind_elderly=3" {
		t.Fatalf("String = %q", s)
	}
	back := ParseCounts(s + ",bad,x=y")
	if !back.Equal(c, []string{"left_behind_elderly", "left_behind_child"}) || len(back) != 2 {
		t.Fatalf("ParseCounts = %v", back)
	}
	if got := Groups(" left_behind_elderly, ,tekun_person"); len(got) != 2 || got[1] != "tekun_person" {
		t.Fatalf("Groups = %v", got)
	}
}

func TestChecks(t *testing.T) {
	groups := []string{"a", "b"}
	if err := CheckSubmit(VillageInProgress, Counts{"a": 2, "b": 1}, Counts{"a": 2, "b": 1}, groups); err != nil {
		t.Fatal(err)
	}
	if err := CheckSubmit(VillageInProgress, Counts{"a": 2}, Counts{"a": 2, "b": 1}, groups); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Fatalf("counts differing: %v, want a conflict", err)
	}
	if err := CheckSubmit(VillageSubmitted, Counts{}, Counts{}, groups); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Fatalf("second submit: %v, want a conflict", err)
	}
	if err := CheckChange(VillageSubmitted); safetynet.CodeOf(err) != safetynet.EConflict {
		t.Fatalf("change after submit: %v", err)
	}
	if _, err := CheckReason("  "); safetynet.CodeOf(err) != safetynet.EInvalid {
		t.Fatalf("empty reason: %v", err)
	}
	if r, err := CheckReason(" 已迁出 "); err != nil || r != "已迁出" {
		t.Fatalf("reason = %q, %v", r, err)
	}
	now := time.Date(2021, 10, 1, 12, 0, 0, 0, Zone)
	if Age("1950-10-02", now) != 70 || Age("1950-10-01", now) != 71 || Age("", now) != -1 {
		t.Fatalf("ages: %d %d", Age("1950-10-02", now), Age("1950-10-01", now))
	}
}
