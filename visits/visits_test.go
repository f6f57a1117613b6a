package visits

import (
	"testing"
	"time"
)

var sh = Zone("")

func day(s string) time.Time {
	d, err := time.ParseInLocation(DateLayout, s, sh)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWinningTakesTheMostFrequent(t *testing.T) {
	tests := []struct {
		name     string
		groups   []string
		wantAny  string
		wantHome string
	}{
		{"key family", []string{GroupKeyFamily}, "1day", "1week"},
		{"elderly alone", []string{GroupElderlyAlone}, "1week", ""},
		{"monitored and red", []string{GroupMonitored, GroupRed}, "3day", ""},
		{"monitored and yellow and alone", []string{GroupMonitored, GroupYellow, GroupElderlyAlone}, "1week", ""},
		{"red key family", []string{GroupRed, GroupKeyFamily}, "1day", "1week"},
		{"no group", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Winning(DefaultFrequencies, tt.groups)
			if got := w[NeedAny]; (got.Every == 0 && tt.wantAny != "") || (got.Every > 0 && got.Key() != tt.wantAny) {
				t.Errorf("any = %+v, want %s", got, tt.wantAny)
			}
			if got := w[NeedHome]; (got.Every == 0 && tt.wantHome != "") || (got.Every > 0 && got.Key() != tt.wantHome) {
				t.Errorf("home = %+v, want %s", got, tt.wantHome)
			}
		})
	}
}

func TestNextAcrossMonthEnds(t *testing.T) {
	tests := []struct {
		last string
		f    Frequency
		want string
	}{
		{"2027-01-31", Frequency{Every: 1, Unit: UnitMonth}, "2027-02-28"},
		{"2028-01-31", Frequency{Every: 1, Unit: UnitMonth}, "2028-02-29"},
		{"2027-03-31", Frequency{Every: 1, Unit: UnitMonth}, "2027-04-30"},
		{"2027-12-31", Frequency{Every: 2, Unit: UnitMonth}, "2028-02-29"},
		{"2027-01-30", Frequency{Every: 3, Unit: UnitDay}, "2027-02-02"},
		{"2027-02-27", Frequency{Every: 3, Unit: UnitDay}, "2027-03-02"},
		{"2027-12-29", Frequency{Every: 1, Unit: UnitWeek}, "2028-01-05"},
		{"2027-12-31", Frequency{Every: 1, Unit: UnitDay}, "2028-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.last+"+"+tt.f.Key(), func(t *testing.T) {
			if got := Next(day(tt.last), tt.f).Format(DateLayout); got != tt.want {
				t.Errorf("Next = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestCutoffMatchesNext checks Cutoff against Next by brute force over
// two years: a last visit is on or before the cut-off exactly when its
// next visit is due on or before today.
func TestCutoffMatchesNext(t *testing.T) {
	for _, f := range []Frequency{{Every: 1, Unit: UnitMonth}, {Every: 2, Unit: UnitMonth}, {Every: 3, Unit: UnitDay},
		{Every: 1, Unit: UnitWeek}, {Every: 1, Unit: UnitDay}} {
		for today := day("2027-01-01"); today.Before(day("2028-12-31")); today = today.AddDate(0, 0, 1) {
			cut := Cutoff(today, f)
			for last := today.AddDate(0, 0, -100); !last.After(today); last = last.AddDate(0, 0, 1) {
				due, _ := Due(last, f, today)
				if due != !last.After(cut) {
					t.Fatalf("%s on %s: last %s due=%v, cutoff %s", f.Key(), today.Format(DateLayout),
						last.Format(DateLayout), due, cut.Format(DateLayout))
				}
			}
		}
	}
}

func TestLocalDateAcrossMidnight(t *testing.T) {
	tests := []struct {
		utc  string
		want string
	}{
		{"2027-01-31T15:59:59Z", "2027-01-31"}, // 23:59:59 in Shanghai
		{"2027-01-31T16:00:00Z", "2027-02-01"}, // midnight in Shanghai
		{"2027-02-28T16:30:00Z", "2027-03-01"},
		{"2027-12-31T15:00:00Z", "2027-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.utc, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tt.utc)
			if got := LocalDate(at, sh).Format(DateLayout); got != tt.want {
				t.Errorf("LocalDate = %s, want %s", got, tt.want)
			}
		})
	}
	end := EndOfDay(day("2027-01-31"))
	if want := "2027-01-31T16:00:00Z"; end.UTC().Format(time.RFC3339) != want {
		t.Errorf("EndOfDay = %s, want %s", end.UTC().Format(time.RFC3339), want)
	}
}

func TestCheckFrequencies(t *testing.T) {
	tests := []struct {
		name  string
		in    []Frequency
		field string
		n     int
	}{
		{"defaults", DefaultFrequencies, "", len(DefaultFrequencies)},
		{"zero removes", []Frequency{{GroupRed, NeedAny, 0, UnitDay}}, "", 0},
		{"unknown group", []Frequency{{"vip", NeedAny, 1, UnitDay}}, "frequencies[0].group", 0},
		{"bad unit", []Frequency{{GroupRed, NeedAny, 1, "year"}}, "frequencies[0].unit", 0},
		{"too long", []Frequency{{GroupRed, NeedAny, 13, UnitMonth}}, "frequencies[0].every", 0},
		{"negative", []Frequency{{GroupRed, NeedAny, -1, UnitDay}}, "frequencies[0].every", 0},
		{"twice", []Frequency{{GroupRed, NeedAny, 1, UnitDay}, {GroupRed, NeedAny, 2, UnitDay}}, "frequencies[1]", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := CheckFrequencies(tt.in)
			if tt.field == "" {
				if err != nil || len(out) != tt.n {
					t.Fatalf("got %d, %v; want %d", len(out), err, tt.n)
				}
				return
			}
			fe, ok := err.(*FieldError)
			if !ok || fe.Field != tt.field {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

func TestMustVisits(t *testing.T) {
	tests := []struct {
		source  string
		kinds   []string
		trigger string
		hours   int
	}{
		{"department", []string{"illness"}, TriggerHospital, 24},
		{"grid", []string{"illness"}, TriggerClue, 48},
		{"grid", []string{"fall", "death"}, TriggerDeath, 24},
		{"hotline", []string{"disaster"}, TriggerDisaster, 12},
		{"visit", []string{"death"}, "", 0},
	}
	at := time.Date(2027, 1, 31, 23, 0, 0, 0, sh)
	for _, tt := range tests {
		t.Run(tt.source+tt.trigger, func(t *testing.T) {
			tr, ok := TriggerOfClue(tt.source, tt.kinds)
			if tr != tt.trigger || ok != (tt.trigger != "") {
				t.Fatalf("TriggerOfClue = %q %v, want %q", tr, ok, tt.trigger)
			}
			if !ok {
				return
			}
			due, step := MustVisitDue(nil, tr, at)
			if step != time.Duration(tt.hours)*time.Hour || !due.Equal(at.Add(step)) {
				t.Errorf("due %s step %s, want %d hours", due, step, tt.hours)
			}
		})
	}
	due, _ := MustVisitDue([]Within{{TriggerWedding, 3}}, TriggerWedding, at)
	if got := due.Format("2006-01-02 15:04"); got != "2027-02-01 02:00" {
		t.Errorf("a county's own time: due %s", got)
	}
	if _, err := CheckWithin([]Within{{TriggerWedding, 0}}); err == nil {
		t.Error("0 hours accepted")
	}
}

func TestCheckVisit(t *testing.T) {
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, sh)
	ok := NewVisit{ClientID: "c1", HouseholdID: 3, Kind: KindCall, Result: ResultFine}
	tests := []struct {
		name  string
		edit  func(*NewVisit)
		field string
	}{
		{"one tap", func(*NewVisit) {}, ""},
		{"no client id", func(v *NewVisit) { v.ClientID = " " }, "client_id"},
		{"no household", func(v *NewVisit) { v.HouseholdID = 0 }, "household_id"},
		{"bad kind", func(v *NewVisit) { v.Kind = "letter" }, "kind"},
		{"bad result", func(v *NewVisit) { v.Result = "ok" }, "result"},
		{"future", func(v *NewVisit) { v.MadeAt = now.Add(time.Hour) }, "made_at"},
		{"old", func(v *NewVisit) { v.MadeAt = now.AddDate(0, -2, 0) }, "made_at"},
		{"checklist", func(v *NewVisit) { v.Checklist = []string{"food", "car"} }, "checklist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := ok
			tt.edit(&v)
			got, err := CheckVisit(v, now)
			if tt.field == "" {
				if err != nil || !got.MadeAt.Equal(now) {
					t.Fatalf("err %v, made %s", err, got.MadeAt)
				}
				return
			}
			if fe, ok := err.(*FieldError); !ok || fe.Field != tt.field {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
		})
	}
}

func TestSortSectionOverdueFirst(t *testing.T) {
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, sh)
	items := []Item{
		{HouseholdID: 1, Due: now.Add(3 * time.Hour)},
		{HouseholdID: 2, Due: now.Add(-time.Hour)},
		{HouseholdID: 3, Due: now.Add(time.Hour)},
		{HouseholdID: 4, Due: now.Add(-48 * time.Hour)},
	}
	SortSection(items, now)
	var got []int64
	for _, it := range items {
		got = append(got, it.HouseholdID)
	}
	if want := []int64{4, 2, 3, 1}; !equal(got, want) || !items[0].Overdue || items[2].Overdue {
		t.Errorf("order %v (overdue %v), want %v", got, items[0].Overdue, want)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
