package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"safetynet/access"
	"safetynet/demo"
	"safetynet/rules"
	"safetynet/sqlstore"
)

// WarningsFigures are the figures of the warnings benchmark: n queued
// hospital stays of registered persons drained by the warning rules
// (evaluated, warnings and relay clues written), against a plain Go loop
// deciding the same warnings over the same events in memory.
type WarningsFigures struct {
	Events      int
	Households  int           // distinct households the events are about
	Seed        time.Duration // storing the events and their queue rows (not part of the drain)
	Drain       time.Duration // DrainWarnings until the queue is empty
	Warnings    int           // warnings the drain raised
	Plain       time.Duration // the plain Go loop over the same events
	PlainRaised int           // warnings the plain loop decides
	// Insert is a plain bulk insert of copies of the rows the drain wrote
	// (warnings, clues, deadlines, timelines, notifications, outbox,
	// audit), InsertRows of them, in one committed write.
	Insert     time.Duration
	InsertRows int
}

// benchDrainLimit is how many queued events one DrainWarnings call of the
// benchmark claims and evaluates in one transaction.
var benchDrainLimit = 5000

// Rate is the drain's events per second.
func (f WarningsFigures) Rate() float64 { return float64(f.Events) / f.Drain.Seconds() }

// Ratio is how many times slower the drain is than the plain loop.
func (f WarningsFigures) Ratio() float64 { return f.Drain.Seconds() / max(f.Plain.Seconds(), 1e-9) }

// InsertRatio is how many times slower the drain is than the plain bulk
// insert of the rows it wrote.
func (f WarningsFigures) InsertRatio() float64 {
	return f.Drain.Seconds() / max(f.Insert.Seconds(), 1e-9)
}

// Write prints the figures.
func (f WarningsFigures) Write(w io.Writer, dialect string) {
	fmt.Fprintf(w, "warnings (%s): %d medical events of %d households: stored in %s; drained in %s (%.0f events/s), %d warnings raised with their clues\n",
		dialect, f.Events, f.Households, f.Seed.Round(time.Millisecond), f.Drain.Round(time.Millisecond), f.Rate(), f.Warnings)
	fmt.Fprintf(w, "warnings (%s): plain Go loop over the same events: %s, %d warnings; drain / plain = %.0f×\n",
		dialect, f.Plain.Round(time.Microsecond), f.PlainRaised, f.Ratio())
	fmt.Fprintf(w, "warnings (%s): plain bulk insert of the %d rows the drain wrote: %s; drain / insert = %.1f×\n",
		dialect, f.InsertRows, f.Insert.Round(time.Millisecond), f.InsertRatio())
}

// benchEvent is an event of the benchmark with what the plain loop needs.
type benchEvent struct {
	seed      sqlstore.FeedEventSeed
	monitored bool
	county    string
}

var benchMonitored = []string{"tuopin", "monitor_unstable", "monitor_marginal", "monitor_sudden"}

// benchWarnings queues n hospital stays of the register's persons (one
// batch per 10,000), publishes the two medical warning rules of the demo
// in each county concerned unless published already, drains the queue,
// and times the plain Go loop deciding the same warnings. The store
// should hold a populated register (safetynet demo --households N).
func benchWarnings(ctx context.Context, s *sqlstore.Store, n int) (WarningsFigures, error) {
	var f WarningsFigures
	var evs []benchEvent
	// Next year: no stay nor warning stored yet, so that the drain and
	// the plain loop decide from the same events (the thresholds are the
	// county's of that year, else the defaults 20,000 and 5,000).
	year := s.Now().Year() + 1
	var hs []rules.Household
	err := s.EachRuleHousehold(ctx, "", 2000, func(batch []rules.Household) error {
		for _, h := range batch {
			if len(hs) >= n {
				return errEnough
			}
			if len(h.Members) > 0 && len(h.PlaceCode) >= 6 {
				hs = append(hs, h)
			}
		}
		return nil
	})
	if err != nil && err != errEnough {
		return f, err
	}
	if len(hs) == 0 {
		return f, fmt.Errorf("bench warnings: the register has no households (run safetynet demo --households N first)")
	}
	f.Households = len(hs)
	// Round after round over the households: a stay of 800 to 16,000 yuan
	// each, dated later each round.
	for i := range n {
		h, round := hs[i%len(hs)], i/len(hs)
		cost := int64(800+(h.ID*7919+int64(round)*104729)%15200) * 100
		date := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, min(round, 300)).Format("2006-01-02")
		evs = append(evs, benchEvent{
			seed: sqlstore.FeedEventSeed{RowKey: "r" + strconv.Itoa(i), Type: "hospitalisation", Date: date,
				PersonID: h.Members[0].ID, HouseholdID: h.ID, PlaceCode: h.PlaceCode, Fields: map[string]any{"oop_cost": cost}},
			monitored: slices.ContainsFunc(h.Categories, func(c string) bool { return slices.Contains(benchMonitored, c) }),
			county:    h.PlaceCode[:6]})
	}
	f.Events = len(evs)
	if err := publishBenchWarningRules(ctx, s, evs); err != nil {
		return f, err
	}
	start := time.Now()
	for i := 0; i < len(evs); i += 10000 {
		chunk := make([]sqlstore.FeedEventSeed, 0, 10000)
		for _, e := range evs[i:min(i+10000, len(evs))] {
			chunk = append(chunk, e.seed)
		}
		key := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)
		if _, err := s.SeedFeedEvents(ctx, "medical_insurance", key, evs[i].county, "dept", chunk); err != nil {
			return f, err
		}
	}
	f.Seed = time.Since(start)
	before, err := countWarnings(ctx, s)
	if err != nil {
		return f, err
	}
	marks, err := s.WarningMarks(ctx)
	if err != nil {
		return f, err
	}
	start = time.Now()
	for {
		k, err := s.DrainWarnings(ctx, benchDrainLimit)
		if err != nil {
			return f, err
		}
		if k == 0 {
			break
		}
	}
	f.Drain = time.Since(start)
	after, err := countWarnings(ctx, s)
	if err != nil {
		return f, err
	}
	f.Warnings = after - before
	if f.InsertRows, f.Insert, err = s.PlainInsertWarnings(ctx, marks); err != nil {
		return f, err
	}
	start = time.Now()
	f.PlainRaised = plainWarnings(evs)
	f.Plain = time.Since(start)
	return f, nil
}

var errEnough = fmt.Errorf("enough households")

// plainWarnings decides the medical warnings of the events in Go: the
// year-to-date out-of-pocket of each person against 5,000 yuan (formerly
// poor and monitored households) or 20,000 (the others), once a year.
func plainWarnings(evs []benchEvent) int {
	ytd := map[int64]int64{}
	warned := map[int64]bool{}
	raised := 0
	for _, e := range evs {
		p := e.seed.PersonID
		ytd[p] += e.seed.Fields["oop_cost"].(int64)
		limit := int64(2000000)
		if e.monitored {
			limit = 500000
		}
		if ytd[p] >= limit && !warned[p] {
			warned[p] = true
			raised++
		}
	}
	return raised
}

func countWarnings(ctx context.Context, s *sqlstore.Store) (int, error) { return s.CountWarnings(ctx) }

// publishBenchWarningRules publishes the demo's two medical warning rules
// in every county of the events that has no published warning rule yet.
func publishBenchWarningRules(ctx context.Context, s *sqlstore.Store, evs []benchEvent) error {
	sys := access.System()
	have := map[string]bool{}
	list, err := s.WarningRules(ctx, sys)
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Status == sqlstore.RulePublished {
			have[r.Place] = true
		}
	}
	for _, e := range evs {
		if have[e.county] {
			continue
		}
		have[e.county] = true
		for _, in := range demo.WarningRules[:2] {
			in.Place = e.county
			id, err := s.CreateWarningRule(ctx, sys, in)
			if err != nil {
				return fmt.Errorf("bench warnings: rule in %s: %w", e.county, err)
			}
			r, err := s.Rule(ctx, sys, id)
			if err != nil {
				return err
			}
			if _, err := s.PublishRule(ctx, sys, id, r.Version); err != nil {
				return err
			}
		}
	}
	return nil
}
