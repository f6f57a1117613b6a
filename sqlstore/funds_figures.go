package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
	"safetynet/access"
	"safetynet/funds"
)

// FundSums are the amounts of one period: net of reversals.
type FundSums struct {
	Received, Allocated, Spent, InKind int64
}

func (f *FundSums) add(kind string, v int64) {
	switch kind {
	case funds.Receipt:
		f.Received += v
	case funds.Allocation:
		f.Allocated += v
	case funds.Spend:
		f.Spent += v
	case funds.InKind:
		f.InKind += v
	}
}

// FundFigureRow is a line of the figures: a kind of source or a place.
type FundFigureRow struct {
	Key, Name         string // the kind of source, or the place code and name
	Current, Previous FundSums
}

// FundFigures are the funds received, allocated and spent and the in-kind
// value of the sources owned in a place's subtree, in a period and the one
// before it, per kind of source and per place below.
type FundFigures struct {
	Place      safetynet.Place
	Period     funds.Period
	Total      FundFigureRow
	ByKind     []FundFigureRow
	ByPlace    []FundFigureRow // the place itself (its own sources), then each child
	Households int             // households that received something in the period
}

// FundFigures computes the figures of place (the actor's place if empty).
func (s *Store) FundFigures(ctx context.Context, a access.Actor, place string, p funds.Period) (FundFigures, error) {
	f := FundFigures{Period: p}
	if err := a.Require(access.FundsView); err != nil {
		return f, err
	}
	if place == "" {
		place = a.Place
	}
	pl, err := s.Place(ctx, a, place)
	if err != nil {
		return f, err
	}
	f.Place = pl
	from, mid, to := p.PrevFrom.Format(dateLayout), p.From.Format(dateLayout), p.To.Format(dateLayout)
	err = s.read(ctx, func(t *tx) error {
		kinds := map[string]*FundFigureRow{}
		for _, k := range funds.SourceKinds {
			kinds[k] = &FundFigureRow{Key: k}
		}
		rows, err := t.query(ctx, `SELECT s.kind, e.kind, SUM(CASE WHEN e.on_date >= ? THEN e.amount_fen ELSE 0 END),
			SUM(CASE WHEN e.on_date < ? THEN e.amount_fen ELSE 0 END)
			FROM fund_entries e JOIN fund_sources s ON s.id = e.source_id
			WHERE e.on_date >= ? AND e.on_date < ? AND e.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			GROUP BY s.kind, e.kind`, mid, mid, from, to, place)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sk, ek string
			var cur, prev int64
			if err := rows.Scan(&sk, &ek, &cur, &prev); err != nil {
				rows.Close()
				return err
			}
			if r := kinds[sk]; r != nil {
				r.Current.add(ek, cur)
				r.Previous.add(ek, prev)
			}
			f.Total.Current.add(ek, cur)
			f.Total.Previous.add(ek, prev)
		}
		rows.Close()
		for _, k := range funds.SourceKinds {
			f.ByKind = append(f.ByKind, *kinds[k])
		}
		// Per place: the place's own sources, then each child's subtree.
		own := FundFigureRow{Key: pl.Code, Name: pl.Name}
		byPlace := map[string]*FundFigureRow{pl.Code: &own}
		order := []string{pl.Code}
		crows, err := t.query(ctx, `SELECT code, name FROM places WHERE parent_code = ? ORDER BY code`, place)
		if err != nil {
			return err
		}
		for crows.Next() {
			var r FundFigureRow
			if err := crows.Scan(&r.Key, &r.Name); err != nil {
				crows.Close()
				return err
			}
			byPlace[r.Key] = &r
			order = append(order, r.Key)
		}
		crows.Close()
		rows, err = t.query(ctx, `SELECT c.code, e.kind,
			SUM(CASE WHEN e.on_date >= ? THEN e.amount_fen ELSE 0 END), SUM(CASE WHEN e.on_date < ? THEN e.amount_fen ELSE 0 END)
			FROM fund_entries e JOIN place_tree pt ON pt.descendant = e.place_code
			JOIN places c ON c.code = pt.ancestor AND (c.parent_code = ? OR (c.code = ? AND pt.depth = 0))
			WHERE e.on_date >= ? AND e.on_date < ? GROUP BY c.code, e.kind`, mid, mid, place, place, from, to)
		if err != nil {
			return err
		}
		for rows.Next() {
			var code, ek string
			var cur, prev int64
			if err := rows.Scan(&code, &ek, &cur, &prev); err != nil {
				rows.Close()
				return err
			}
			if r := byPlace[code]; r != nil {
				r.Current.add(ek, cur)
				r.Previous.add(ek, prev)
			}
		}
		rows.Close()
		for _, c := range order {
			f.ByPlace = append(f.ByPlace, *byPlace[c])
		}
		return t.queryRow(ctx, `SELECT COUNT(DISTINCT ft.household_id) FROM fund_targets ft JOIN fund_entries e ON e.id = ft.entry_id
			WHERE e.on_date >= ? AND e.on_date < ? AND e.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = e.id)`, mid, to, place).Scan(&f.Households)
	})
	if err != nil {
		return f, fmt.Errorf("sqlstore: fund figures: %w", err)
	}
	return f, nil
}
