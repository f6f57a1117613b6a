package inspections

import (
	"testing"
	"time"

	"safetynet"
)

func TestRectifyNext(t *testing.T) {
	for _, c := range []struct {
		from, action, want string
	}{
		{RectifyOpen, ActReport, RectifyReported},
		{RectifyReopened, ActReport, RectifyReported},
		{RectifyReported, ActAccept, RectifyAccepted},
		{RectifyReported, ActReopen, RectifyReopened},
		{RectifyAccepted, ActReopen, RectifyReopened},
		{RectifyOpen, ActAccept, ""},
		{RectifyAccepted, ActReport, ""},
		{RectifyReported, ActReport, ""},
		{RectifyOpen, ActReopen, ""},
	} {
		t.Run(c.from+"/"+c.action, func(t *testing.T) {
			got, err := RectifyNext(c.from, c.action)
			if c.want == "" {
				if e := safetynet.AsError(err); e == nil || e.Code != safetynet.EConflict {
					t.Fatalf("got %q, %v; want a conflict", got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestRectifyDue(t *testing.T) {
	now := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC) // 12-01 07:30 in Shanghai
	if got := DefaultDue("measures", now); got != "2026-12-31" {
		t.Fatalf("default due of measures = %s", got)
	}
	if got := DefaultDue("no-such-item", now); got != "2026-12-16" {
		t.Fatalf("default due of an unknown item = %s", got)
	}
	for _, c := range []struct {
		in   string
		want string
	}{{"2026-12-01", "2026-12-01"}, {" 2027-05-30 ", "2027-05-30"}, {"2026-11-30", ""}, {"2027-05-31", ""}, {"12/01/2026", ""}} {
		got, err := CheckDue(c.in, now)
		if c.want == "" {
			if e := safetynet.AsError(err); e == nil || e.Field != "due_on" {
				t.Fatalf("CheckDue(%q) = %q, %v; want an error on due_on", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Fatalf("CheckDue(%q) = %q, %v", c.in, got, err)
		}
	}
	o := RectifyOpening("2026-12-16")
	if o.Kind != KindRectify || o.Level != safetynet.LevelVillage || !o.Due.Equal(time.Date(2026, 12, 17, 0, 0, 0, 0, RectifyZone)) || o.Interval != 7*24*time.Hour {
		t.Fatalf("opening = %+v", o)
	}
}

func TestProblemItems(t *testing.T) {
	got := ProblemItems("visited=ok,ledger=problem,measures=na,services=problem,bad,=x")
	if len(got) != 2 || got[0] != "ledger" || got[1] != "services" {
		t.Fatalf("problems = %v", got)
	}
	if _, err := CheckText("finding", "发现的问题", "  ", 500); err == nil {
		t.Fatal("empty finding accepted")
	}
	if _, err := CheckText("finding", "发现的问题", string(make([]rune, 501)), 500); err == nil {
		t.Fatal("long finding accepted")
	}
}
