package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
)

// Durations summarises how long a step took; see relay.
type Durations = relay.Durations

// PeriodFigures are the figures of clues received in a period (relay.Period).
type PeriodFigures = relay.PeriodFigures

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
		cur, prev := map[string][]relay.ClueFact{}, map[string][]relay.ClueFact{}
		for _, c := range facts {
			target := cur
			if ms(c.Reported) < ms(from) {
				target = prev
			}
			target[""] = append(target[""], c)
			if ch := childOf[c.Place]; ch != "" {
				target[ch] = append(target[ch], c)
			}
		}
		f.Place.Current, f.Place.Previous = relay.Period(cur[""]), relay.Period(prev[""])
		for code, pf := range byChild {
			pf.Current, pf.Previous = relay.Period(cur[code]), relay.Period(prev[code])
		}
		// Open and overdue steps now, for the place and its children.
		now := ms(s.now())
		rows, err = t.query(ctx, `SELECT d.place_code, CASE WHEN d.due_at <= ? THEN 1 ELSE 0 END FROM deadlines d
			WHERE d.status = 'open' AND d.kind <> 'visit.due' AND d.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, now, place)
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

func (s *Store) clueFacts(ctx context.Context, t *tx, place string, from, to time.Time) ([]relay.ClueFact, error) {
	rows, err := t.query(ctx, `SELECT c.place_code, c.source, c.household_id, c.reported_at, c.acknowledged_at, c.verified_at,
		COALESCE(k.first_help_at, 0), COALESCE(k.closed_at, 0), CASE WHEN k.id IS NULL THEN 0 ELSE 1 END, COALESCE(k.outcome, '')
		FROM clues c LEFT JOIN cases k ON k.id = c.case_id AND c.case_id > 0
		WHERE c.received_at >= ? AND c.received_at < ? AND c.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`,
		ms(from), ms(to), place)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: figures: %w", err)
	}
	defer rows.Close()
	var out []relay.ClueFact
	for rows.Next() {
		var c relay.ClueFact
		var reported, acked, verified, help, closed int64
		var hasCase int
		if err := rows.Scan(&c.Place, &c.Source, &c.Household, &reported, &acked, &verified, &help, &closed, &hasCase, &c.Outcome); err != nil {
			return nil, err
		}
		c.Reported, c.Acknowledged, c.Verified, c.FirstHelp, c.Closed = fromMS(reported), fromMS(acked), fromMS(verified), fromMS(help), fromMS(closed)
		c.HasCase = hasCase == 1
		out = append(out, c)
	}
	return out, rows.Err()
}
