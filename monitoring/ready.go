package monitoring

import (
	"sort"
	"time"
)

// Assessment is one measure of a monitored household's income: the
// proposal's own income, a periodic review (监测复核), or an elimination
// proposal.
type Assessment struct {
	On           time.Time
	PerCapitaFen int64
}

// Standing is what Ready and OverdueReview look at for one monitored
// household.
type Standing struct {
	MonitoredSince time.Time    // start of the active monitored category
	Assessments    []Assessment // any order
	LineFen        int64        // the county's monitoring line of the year, per capita; 0 if not set
	OpenWork       int          // open clues and cases of the household
	OpenProcess    bool         // an inclusion or elimination is in progress
}

// Reason is one part of a judgement in words: a catalogue key (i18n
// "monitoring.why.<Code>") with its arguments.
type Reason struct {
	Code string
	OK   bool
	Args []any
}

// Judgement says whether a household looks ready, with every reason.
type Judgement struct {
	Ready   bool
	Reasons []Reason
}

// Ready decides whether a monitored household looks ready for risk
// elimination, today:
//   - monitored for at least MinMonitoredMonths;
//   - a monitoring line is set for the county and year;
//   - income per capita has been above the line for at least AboveMonths:
//     the latest assessment is above it, and so is every assessment back
//     to one at least AboveMonths old (the run of assessments above the
//     line reaches that far back);
//   - no open clue or case, no process in progress.
//
// Every condition gives a reason, met or not, so the list can say why.
func Ready(st Standing, s Settings, today time.Time) Judgement {
	var j Judgement
	add := func(ok bool, code string, args ...any) {
		j.Reasons = append(j.Reasons, Reason{Code: code, OK: ok, Args: args})
	}
	months := MonthsBetween(st.MonitoredSince, today)
	add(months >= s.MinMonitoredMonths, "monitored", months, s.MinMonitoredMonths)
	if st.LineFen <= 0 {
		add(false, "no_line")
	} else {
		since, ok := AboveSince(st.Assessments, st.LineFen)
		switch {
		case !ok:
			add(false, "below_line", st.LineFen/100)
		default:
			m := MonthsBetween(since, today)
			add(m >= s.AboveMonths, "above_line", st.LineFen/100, m, s.AboveMonths)
		}
	}
	add(st.OpenWork == 0, "open_work", st.OpenWork)
	if st.OpenProcess {
		add(false, "in_progress")
	}
	j.Ready = true
	for _, r := range j.Reasons {
		j.Ready = j.Ready && r.OK
	}
	return j
}

// AboveSince returns the date of the oldest assessment of the unbroken
// run of assessments above line that ends with the latest one, and false
// when the latest is not above the line (or there is none).
func AboveSince(as []Assessment, line int64) (time.Time, bool) {
	sorted := append([]Assessment(nil), as...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].On.Before(sorted[j].On) })
	var since time.Time
	ok := false
	for i := len(sorted) - 1; i >= 0; i-- {
		if sorted[i].PerCapitaFen <= line {
			break
		}
		since, ok = sorted[i].On, true
	}
	return since, ok
}

// OverdueReview reports whether a monitored household has gone longer than
// ReviewMonths since it was monitored or last assessed, and how many
// months it has been.
func OverdueReview(st Standing, s Settings, today time.Time) (bool, int) {
	last := st.MonitoredSince
	for _, a := range st.Assessments {
		if a.On.After(last) {
			last = a.On
		}
	}
	m := MonthsBetween(last, today)
	return m >= s.ReviewMonths && !st.OpenProcess, m
}

// MonthsBetween counts the whole months from a to b (0 if b is before a).
func MonthsBetween(a, b time.Time) int {
	if a.IsZero() || !b.After(a) {
		return 0
	}
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}
