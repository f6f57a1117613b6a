package rules

import (
	"sort"
	"time"

	"safetynet"
)

// Monitoring holds what a household's risk colour depends on: whether it
// is monitored (三类监测对象) and the relay's open work on it. It is part
// of every Household (h.monitored, h.open_clues…), filled by the storage
// layer from the register's categories and the relay's tables. It is left
// out of Fingerprint: these facts change with daily work, and a dismissed
// line of the 政策找人 lists comes back only when the register's data do.
type Monitoring struct {
	// Monitored says the household holds one of the monitored categories
	// (脱贫不稳定户, 边缘易致贫户, 突发严重困难户); MonitoringType is its Chinese
	// label, "" when not monitored.
	Monitored      bool
	MonitoringType string
	// MonitoredMonths are the whole months since the monitored category
	// started; MonthsKnown is false when the household is not monitored
	// or the start date is not recorded.
	MonitoredMonths int
	MonthsKnown     bool
	// OpenClues are the household's clues not yet verified; OpenCases its
	// open cases; OpenRisks the Chinese labels of what those clues and
	// cases are about (clue kinds such as 生病住院, risk types such as 因病),
	// sorted, once each; OverdueSteps the open steps of those clues and
	// cases whose deadline has passed.
	OpenClues    int
	OpenCases    int
	OpenRisks    []string
	OverdueSteps int
}

// MonitoringFacts are the raw facts the storage layer reads for one
// household, as codes; Facts turns them into Monitoring.
type MonitoringFacts struct {
	Category     string    // the monitored category's code, "" if none
	Since        time.Time // its start date, zero when unknown
	OpenClues    int
	OpenCases    int
	ClueKinds    []string // codes of safetynet.ClueKinds, of open clues
	CaseRisks    []string // codes of safetynet.RiskTypes, of open cases
	OverdueSteps int
}

// Facts turns the raw facts into what rules see on day.
func (f MonitoringFacts) Facts(day time.Time) Monitoring {
	m := Monitoring{OpenClues: f.OpenClues, OpenCases: f.OpenCases, OverdueSteps: f.OverdueSteps}
	if c, ok := safetynet.CategoryByCode(f.Category); ok && c.Monitored {
		m.Monitored, m.MonitoringType = true, c.ZH
		if !f.Since.IsZero() && !f.Since.After(day) {
			m.MonitoredMonths, m.MonthsKnown = wholeMonths(f.Since, day), true
		}
	}
	seen := map[string]bool{}
	add := func(v safetynet.Vocab, codes []string) {
		for _, c := range codes {
			if c == "" {
				continue
			}
			l := v.Label(c, "zh")
			if !seen[l] {
				seen[l] = true
				m.OpenRisks = append(m.OpenRisks, l)
			}
		}
	}
	add(safetynet.ClueKinds, f.ClueKinds)
	add(safetynet.RiskTypes, f.CaseRisks)
	sort.Strings(m.OpenRisks)
	if len(m.OpenRisks) > MaxMembers {
		m.OpenRisks = m.OpenRisks[:MaxMembers]
	}
	return m
}

// wholeMonths counts the whole months from since to day (2026-01-31 to
// 2026-02-28 is 0, to 2026-03-01 is 1).
func wholeMonths(since, day time.Time) int {
	n := (day.Year()-since.Year())*12 + int(day.Month()) - int(since.Month())
	if day.Day() < since.Day() {
		n--
	}
	return max(n, 0)
}
