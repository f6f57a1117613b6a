package relay

import (
	"sort"
	"time"
)

// activeSources are the ways of active discovery (主动发现): found by grid
// workers, visits and department data rather than by residents' own
// reports and calls.
var activeSources = map[string]bool{"grid": true, "visit": true, "department": true}

// ActiveDiscovery reports whether a clue of source was found actively
// (主动发现) rather than reported by the resident or a caller.
func ActiveDiscovery(source string) bool { return activeSources[source] }

// Durations summarises how long a step took.
type Durations struct {
	N      int
	Median time.Duration
	P90    time.Duration
}

// Summarise returns the count, median and 90th percentile of ds (which it
// sorts).
func Summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return Durations{N: len(ds), Median: at(0.5), P90: at(0.9)}
}

// PeriodFigures are the figures of clues received in a period.
type PeriodFigures struct {
	Clues          int
	BySource       map[string]int
	Cases          int // cases opened from these clues
	Households     int // households helped (first help given) through active discovery
	RiskEliminated int
	ToAcknowledge  Durations // from the report
	ToVerify       Durations
	ToHelp         Durations
	ToClose        Durations
}

// ClueFact is what the figures need of one clue and its case; a zero time
// is a step not reached.
type ClueFact struct {
	Place, Source string
	Household     int64
	Reported      time.Time
	Acknowledged  time.Time
	Verified      time.Time
	FirstHelp     time.Time // of its case
	Closed        time.Time // its case's
	HasCase       bool
	Outcome       string // its case's
}

// Period computes the figures of the clues of a period: how many, by
// source, the cases they opened, the households helped through active
// discovery, the risks eliminated, and how long each step took from the
// report.
func Period(facts []ClueFact) PeriodFigures {
	pf := PeriodFigures{BySource: map[string]int{}}
	helped := map[int64]bool{}
	var ack, ver, help, closeD []time.Duration
	for _, c := range facts {
		pf.Clues++
		pf.BySource[c.Source]++
		if !c.Acknowledged.IsZero() {
			ack = append(ack, c.Acknowledged.Sub(c.Reported))
		}
		if !c.Verified.IsZero() {
			ver = append(ver, c.Verified.Sub(c.Reported))
		}
		if c.HasCase {
			pf.Cases++
			if !c.FirstHelp.IsZero() {
				help = append(help, c.FirstHelp.Sub(c.Reported))
				if ActiveDiscovery(c.Source) && c.Household != 0 {
					helped[c.Household] = true
				}
			}
			if !c.Closed.IsZero() {
				closeD = append(closeD, c.Closed.Sub(c.Reported))
				if c.Outcome == "risk_eliminated" {
					pf.RiskEliminated++
				}
			}
		}
	}
	pf.Households = len(helped)
	pf.ToAcknowledge, pf.ToVerify, pf.ToHelp, pf.ToClose = Summarise(ack), Summarise(ver), Summarise(help), Summarise(closeD)
	return pf
}
