package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"time"

	"safetynet"
	"safetynet/access"
)

// activeSources are the ways of active discovery (主动发现): found by grid
// workers, visits and department data rather than by residents' own
// reports and calls.
var activeSources = map[string]bool{"grid": true, "visit": true, "department": true}

// Durations summarises how long a step took.
type Durations struct {
	N      int
	Median time.Duration
	P90    time.Duration
}

func summarise(ds []time.Duration) Durations {
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

// PlaceFigures are a place's figures.
type PlaceFigures struct {
	Place    safetynet.Place
	Current  PeriodFigures
	Previous PeriodFigures
	Open     int // open steps now
	Overdue  int // open steps past their deadline now
}

// Figures are the figures of a place and of each place below it.
type Figures struct {
	From, To   time.Time // the period; the previous one has the same length before it
	Place      PlaceFigures
	ByChild    []PlaceFigures
	ChildLevel safetynet.Level
}

type clueFact struct {
	place, source                           string
	household                               int64
	reported, acked, verified, help, closed int64
	hasCase                                 bool
	outcome                                 string
}

// Figures computes the figures of place (the actor's place if empty) for
// clues received in [from, to), compared with the period just before, and
// the same for each place one level below.
func (s *Store) Figures(ctx context.Context, a access.Actor, place string, from, to time.Time) (Figures, error) {
	f := Figures{From: from, To: to}
	if err := a.Require(access.FiguresView); err != nil {
		return f, err
	}
	if place == "" {
		place = a.Place
	}
	if !to.After(from) {
		return f, safetynet.Invalid("to", "结束日期应晚于开始日期", "the period must end after it starts")
	}
	prevFrom := from.Add(-to.Sub(from))
	err := s.read(ctx, func(t *tx) error {
		p, err := s.placeInScope(ctx, t, a.Scope(access.Work), place)
		if err != nil {
			return err
		}
		f.Place.Place = p
		// Which child each place of the subtree belongs to.
		childOf := map[string]string{}
		rows, err := t.query(ctx, `SELECT pt.descendant, pt.ancestor FROM place_tree pt JOIN places c ON c.code = pt.ancestor
			WHERE c.parent_code = ?`, place)
		if err != nil {
			return fmt.Errorf("sqlstore: figures: %w", err)
		}
		for rows.Next() {
			var d, c string
			if err := rows.Scan(&d, &c); err != nil {
				rows.Close()
				return err
			}
			childOf[d] = c
		}
		rows.Close()
		kids, err := s.childPlaces(ctx, t, place)
		if err != nil {
			return err
		}
		byChild := map[string]*PlaceFigures{}
		for _, k := range kids {
			pf := &PlaceFigures{Place: k}
			byChild[k.Code] = pf
			f.ChildLevel = k.Level
		}
		facts, err := s.clueFacts(ctx, t, place, prevFrom, to)
		if err != nil {
			return err
		}
		cur, prev := map[string][]clueFact{}, map[string][]clueFact{}
		for _, c := range facts {
			target := cur
			if c.reported < ms(from) {
				target = prev
			}
			target[""] = append(target[""], c)
			if ch := childOf[c.place]; ch != "" {
				target[ch] = append(target[ch], c)
			}
		}
		f.Place.Current, f.Place.Previous = periodFigures(cur[""]), periodFigures(prev[""])
		for code, pf := range byChild {
			pf.Current, pf.Previous = periodFigures(cur[code]), periodFigures(prev[code])
		}
		// Open and overdue steps now, for the place and its children.
		now := ms(s.now())
		rows, err = t.query(ctx, `SELECT d.place_code, CASE WHEN d.due_at <= ? THEN 1 ELSE 0 END FROM deadlines d
			WHERE d.status = 'open' AND d.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, now, place)
		if err != nil {
			return fmt.Errorf("sqlstore: figures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var pc string
			var over int
			if err := rows.Scan(&pc, &over); err != nil {
				return err
			}
			f.Place.Open++
			f.Place.Overdue += over
			if pf := byChild[childOf[pc]]; pf != nil {
				pf.Open++
				pf.Overdue += over
			}
		}
		for _, k := range kids {
			f.ByChild = append(f.ByChild, *byChild[k.Code])
		}
		return rows.Err()
	})
	return f, err
}

func (s *Store) childPlaces(ctx context.Context, t *tx, code string) ([]safetynet.Place, error) {
	rows, err := t.query(ctx, `SELECT `+placeColumns+` FROM places p WHERE p.parent_code = ? ORDER BY p.code`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []safetynet.Place
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) clueFacts(ctx context.Context, t *tx, place string, from, to time.Time) ([]clueFact, error) {
	rows, err := t.query(ctx, `SELECT c.place_code, c.source, c.household_id, c.reported_at, c.acknowledged_at, c.verified_at,
		COALESCE(k.first_help_at, 0), COALESCE(k.closed_at, 0), CASE WHEN k.id IS NULL THEN 0 ELSE 1 END, COALESCE(k.outcome, '')
		FROM clues c LEFT JOIN cases k ON k.id = c.case_id AND c.case_id > 0
		WHERE c.received_at >= ? AND c.received_at < ? AND c.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`,
		ms(from), ms(to), place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: figures: %w", err)
	}
	defer rows.Close()
	var out []clueFact
	for rows.Next() {
		var c clueFact
		var hasCase int
		if err := rows.Scan(&c.place, &c.source, &c.household, &c.reported, &c.acked, &c.verified, &c.help, &c.closed, &hasCase, &c.outcome); err != nil {
			return nil, err
		}
		c.hasCase = hasCase == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

func periodFigures(facts []clueFact) PeriodFigures {
	pf := PeriodFigures{BySource: map[string]int{}}
	helped := map[int64]bool{}
	var ack, ver, help, closeD []time.Duration
	span := func(from, to int64) time.Duration { return time.Duration(to-from) * time.Millisecond }
	for _, c := range facts {
		pf.Clues++
		pf.BySource[c.source]++
		if c.acked > 0 {
			ack = append(ack, span(c.reported, c.acked))
		}
		if c.verified > 0 {
			ver = append(ver, span(c.reported, c.verified))
		}
		if c.hasCase {
			pf.Cases++
			if c.help > 0 {
				help = append(help, span(c.reported, c.help))
				if activeSources[c.source] && c.household != 0 {
					helped[c.household] = true
				}
			}
			if c.closed > 0 {
				closeD = append(closeD, span(c.reported, c.closed))
				if c.outcome == "risk_eliminated" {
					pf.RiskEliminated++
				}
			}
		}
	}
	pf.Households = len(helped)
	pf.ToAcknowledge, pf.ToVerify, pf.ToHelp, pf.ToClose = summarise(ack), summarise(ver), summarise(help), summarise(closeD)
	return pf
}
