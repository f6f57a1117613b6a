package visits

import "time"

// DateLayout is how a local date is written (and stored).
const DateLayout = "2006-01-02"

// DefaultZone is the time zone of places that name none.
const DefaultZone = "Asia/Shanghai"

// Zone loads the time zone name (DefaultZone when empty), falling back to
// a fixed UTC+8 when the system has no zone database.
func Zone(name string) *time.Location {
	if name == "" {
		name = DefaultZone
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// LocalDate returns the date of t in loc, as midnight of that day in loc.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// EndOfDay returns the instant a visit due on the local date day is late:
// the next local midnight.
func EndOfDay(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, day.Location())
}

// addMonths adds n months to day, the day of the month clamped to the
// target month's last day (31 January + 1 month = 28 or 29 February).
func addMonths(day time.Time, n int) time.Time {
	y, m, d := day.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, day.Location())
	if last := daysIn(first); d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, day.Location())
}

func daysIn(first time.Time) int {
	return time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, first.Location()).Day()
}

// Next returns the local date the next visit is due after one made on the
// local date last.
func Next(last time.Time, f Frequency) time.Time {
	switch f.Unit {
	case UnitMonth:
		return addMonths(last, f.Every)
	case UnitWeek:
		return last.AddDate(0, 0, 7*f.Every)
	}
	return last.AddDate(0, 0, f.Every)
}

// Cutoff returns the latest local date of a last visit that makes a visit
// of frequency f due on or before today: a household last seen on or
// before Cutoff is due. Storage compares dates with it set-based.
func Cutoff(today time.Time, f Frequency) time.Time {
	if f.Unit != UnitMonth {
		days := f.Every
		if f.Unit == UnitWeek {
			days *= 7
		}
		return today.AddDate(0, 0, -days)
	}
	back := addMonths(today, -f.Every)
	if today.Day() == daysIn(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, today.Location())) {
		// On the last day of a month every later day of the month n
		// months back is clamped to today.
		first := time.Date(back.Year(), back.Month(), 1, 0, 0, 0, 0, back.Location())
		back = time.Date(back.Year(), back.Month(), daysIn(first), 0, 0, 0, 0, back.Location())
	}
	return back
}

// Due says whether a visit of frequency f is due today after a last visit
// on the local date last (zero when never visited: due at once), and on
// which date it fell due.
func Due(last time.Time, f Frequency, today time.Time) (bool, time.Time) {
	if last.IsZero() {
		return true, today
	}
	next := Next(last, f)
	return !next.After(today), next
}
