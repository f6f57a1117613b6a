package httpserver

import (
	"testing"
	"time"
)

// TestLocalTime: times of the day list and the visit and certification
// pages are the places' local time (Asia/Shanghai), whatever the server's
// zone: across midnight and month ends, and the end of a due day reads
// 24:00 of that day.
func TestLocalTime(t *testing.T) {
	old := time.Local
	defer func() { time.Local = old }()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	utc := func(s string) time.Time {
		x, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, server := range []*time.Location{time.UTC, ny} {
		time.Local = server
		p := &page{}
		for _, c := range []struct{ at, want, day string }{
			{"2026-01-31 15:30", "2026-01-31 23:30", "2026-01-31"}, // due 23:30 on the 31st, local
			{"2026-01-31 16:00", "2026-01-31 24:00", "2026-02-01"}, // the end of the 31st
			{"2026-01-31 16:30", "2026-02-01 00:30", "2026-02-01"}, // 16:30 UTC is the next local day
			{"2026-02-28 16:30", "2026-03-01 00:30", "2026-03-01"}, // across the end of February
			{"2028-02-28 16:30", "2028-02-29 00:30", "2028-02-29"}, // a leap year
			{"2026-12-31 16:01", "2027-01-01 00:01", "2027-01-01"}, // across the year end
			{"2026-06-30 03:00", "2026-06-30 11:00", "2026-06-30"},
		} {
			at := utc(c.at)
			if got := p.LocalTime(at); got != c.want {
				t.Errorf("server in %s: LocalTime(%s UTC) = %s, want %s", server, c.at, got, c.want)
			}
			if got := p.LocalDate(at); got != c.day {
				t.Errorf("server in %s: LocalDate(%s UTC) = %s, want %s", server, c.at, got, c.day)
			}
		}
		if p.LocalTime(time.Time{}) != "—" || p.LocalDate(time.Time{}) != "" {
			t.Error("zero times")
		}
	}
}
