package certification

import (
	"testing"
	"time"

	"safetynet"
)

func day(s string) time.Time {
	d, ok := ParseDay(s)
	if !ok {
		panic(s)
	}
	return d
}

func TestNextDue(t *testing.T) {
	for _, c := range []struct {
		basis  string
		months int
		want   string
	}{
		{"2024-02-29", 12, "2025-02-28"}, // leap day → next year's end of February
		{"2024-02-29", 48, "2028-02-29"},
		{"2023-02-28", 12, "2024-02-28"},
		{"2025-08-31", 6, "2026-02-28"}, // month end into a short month
		{"2023-08-31", 6, "2024-02-29"}, // into a leap February
		{"2025-01-31", 3, "2025-04-30"},
		{"2025-12-31", 6, "2026-06-30"}, // across the year end
		{"2025-07-15", 6, "2026-01-15"},
		{"2025-11-30", 12, "2026-11-30"},
	} {
		if got := dateOf(NextDue(day(c.basis), c.months)); got != c.want {
			t.Errorf("NextDue(%s, %d) = %s, want %s", c.basis, c.months, got, c.want)
		}
	}
}

func TestCycleStart(t *testing.T) {
	for _, c := range []struct {
		start, today string
		months       int
		want         string
	}{
		{"2025-03-10", "2026-02-27", 12, "2025-03-10"}, // still the first cycle
		{"2021-12-01", "2026-11-30", 12, "2025-12-01"}, // the last anniversary
		{"2021-12-01", "2026-12-01", 12, "2025-12-01"}, // due today
		{"2025-05-18", "2026-11-30", 6, "2026-05-18"},  // overdue 12 days: kept
		{"2025-05-18", "2027-01-30", 6, "2026-11-18"},  // overdue 73 days: the next cycle
		{"2024-02-29", "2026-03-01", 12, "2025-02-28"}, // a leap day's anniversary
		{"2025-08-31", "2026-03-15", 6, "2025-08-31"},
		{"2026-12-05", "2026-11-30", 12, "2026-12-05"}, // starts later: unchanged
	} {
		got := dateOf(CycleStart(day(c.start), day(c.today), c.months))
		if got != c.want {
			t.Errorf("CycleStart(%s, %s, %d) = %s, want %s", c.start, c.today, c.months, got, c.want)
		}
		if due := NextDue(day(got), c.months); DaysLeft(due, day(c.today)) < -30 {
			t.Errorf("CycleStart(%s, %s): due %s is overdue more than 30 days", c.start, c.today, dateOf(due))
		}
	}
}

func dateOf(t time.Time) string { return t.In(Zone).Format("2006-01-02") }

func TestDayIsLocal(t *testing.T) {
	// 2025-02-28 17:30 UTC is already 1 March in Shanghai.
	utc := time.Date(2025, 2, 28, 17, 30, 0, 0, time.UTC)
	if got := dateOf(Day(utc)); got != "2025-03-01" {
		t.Fatalf("Day = %s, want 2025-03-01", got)
	}
	if got := StatusOn(day("2025-02-28"), utc); got != StatusOverdue {
		t.Fatalf("due 28 Feb seen at 01:30 on 1 March local: %s, want overdue", got)
	}
	if got := StatusOn(day("2025-02-28"), utc.Add(-2*time.Hour)); got != StatusDue {
		t.Fatalf("due 28 Feb seen on 28 Feb local: %s, want due", got)
	}
}

func TestStatusOn(t *testing.T) {
	today := day("2026-01-31")
	for _, c := range []struct{ due, want string }{
		{"2026-01-30", StatusOverdue},
		{"2026-01-31", StatusDue},
		{"2026-03-02", StatusDue}, // 30 days after 31 January
		{"2026-03-03", StatusOK},
		{"2027-01-31", StatusOK},
	} {
		if got := StatusOn(day(c.due), today); got != c.want {
			t.Errorf("StatusOn(%s) = %s, want %s", c.due, got, c.want)
		}
	}
	if n := DaysLeft(day("2026-03-02"), today); n != 30 {
		t.Errorf("DaysLeft = %d, want 30", n)
	}
	if n := DaysLeft(day("2026-01-29"), today); n != -2 {
		t.Errorf("DaysLeft = %d, want -2", n)
	}
}

func TestReminderClimbs(t *testing.T) {
	due := day("2026-03-01")
	at := func(s string) time.Time { return day(s).Add(9 * time.Hour) }
	for _, c := range []struct {
		now   time.Time
		level safetynet.Level
		until string
	}{
		{at("2026-02-01"), safetynet.LevelGrid, "2026-02-16"},
		{at("2026-02-16"), safetynet.LevelVillage, "2026-02-23"},
		{at("2026-02-23"), safetynet.LevelTown, "2026-03-02"},
		{at("2026-03-01"), safetynet.LevelTown, "2026-03-02"}, // until the due day ends
		{at("2026-03-02"), safetynet.LevelCounty, "2026-03-09"},
	} {
		o := Reminder(due, c.now)
		if o.Kind != KindDue || o.Level != c.level || dateOf(o.Due) != c.until || o.Interval != Step {
			t.Errorf("Reminder at %s = %s until %s, want %s until %s", c.now, o.Level, dateOf(o.Due), c.level, c.until)
		}
	}
}

func TestCheckRecord(t *testing.T) {
	today, basis := day("2026-05-10"), day("2025-06-01")
	photo := []byte{0xff, 0xd8, 0xff, 0xe0}
	for _, c := range []struct {
		name  string
		r     Record
		field string
	}{
		{"face", Record{Method: MethodFace, On: today}, ""},
		{"home with photo", Record{Method: MethodHome, On: today, Photo: photo}, ""},
		{"home without photo", Record{Method: MethodHome, On: today}, "photo"},
		{"data without evidence", Record{Method: MethodData, On: today}, "evidence"},
		{"data with evidence", Record{Method: MethodData, On: today, Evidence: "县人民医院住院记录"}, ""},
		{"no method", Record{On: today}, "method"},
		{"not an image", Record{Method: MethodHome, On: today, Photo: []byte("GIF89a")}, "photo"},
		{"unknown method", Record{Method: "phone", On: today}, "method"},
		{"no date", Record{Method: MethodFace}, "on_date"},
		{"future", Record{Method: MethodFace, On: today.AddDate(0, 0, 1)}, "on_date"},
		{"before the cycle", Record{Method: MethodFace, On: basis.AddDate(0, 0, -1)}, "on_date"},
	} {
		err := CheckRecord(c.r, basis, today)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		e, ok := err.(*safetynet.Error)
		if !ok || e.Field != c.field {
			t.Errorf("%s: error %v, want one on %s", c.name, err, c.field)
		}
	}
}

func TestCertify(t *testing.T) {
	for _, c := range []struct {
		name, on, due, review string
		months                int
		wantDue, wantReview   string
		late                  bool
	}{
		{"on time", "2026-02-20", "2026-03-01", "", 12, "2027-02-20", "", false},
		{"late, no review yet", "2026-03-05", "2026-03-01", "", 6, "2026-09-05", "", true},
		{"late after suspension restores", "2026-04-01", "2026-03-01", ReviewSuspend, 12, "2027-04-01", ReviewRestored, true},
		{"late after continue clears", "2026-04-01", "2026-03-01", ReviewContinue, 12, "2027-04-01", "", true},
		{"leap day", "2028-02-29", "2028-03-01", "", 12, "2029-02-28", "", false},
	} {
		o := Certify(day(c.on), day(c.due), c.months, c.review)
		if dateOf(o.Due) != c.wantDue || o.Review != c.wantReview || o.Late != c.late || dateOf(o.Basis) != c.on {
			t.Errorf("%s: %+v", c.name, o)
		}
	}
}

func TestCheckReview(t *testing.T) {
	for _, c := range []struct {
		decision, status, current string
		ok                        bool
	}{
		{ReviewSuspend, StatusOverdue, "", true},
		{ReviewContinue, StatusOverdue, ReviewSuspend, true},
		{ReviewSuspend, StatusDue, "", false}, // not overdue: nothing to review
		{ReviewRestored, StatusOverdue, ReviewSuspend, true},
		{ReviewRestored, StatusOverdue, "", false},
		{"stop", StatusOverdue, "", false},
	} {
		if err := CheckReview(c.decision, c.status, c.current); (err == nil) != c.ok {
			t.Errorf("CheckReview(%s, %s, %s) = %v", c.decision, c.status, c.current, err)
		}
	}
}

func TestCheckSetting(t *testing.T) {
	for _, c := range []struct {
		s  Setting
		ok bool
	}{
		{Setting{Measure: "dibao", Months: 12}, true},
		{Setting{Measure: "tekun", Months: 6}, true},
		{Setting{Measure: "dibao", Months: 5}, false},
		{Setting{Months: 12}, false},
	} {
		if err := CheckSetting(c.s); (err == nil) != c.ok {
			t.Errorf("CheckSetting(%+v) = %v", c.s, err)
		}
	}
}
