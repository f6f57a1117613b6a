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
	// Reached is what the households of the subtree received, from
	// sources at any level (a county budget allocated to a village's
	// households counts for the village): Allocated and InKind.
	Reached FundFigureRow
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
		// The sources owned in the subtree (few), each one's entries of
		// the two periods summed per kind from a covering index
		// (fund_entries_figures); the sources are then sorted by kind and
		// by the child place they belong to.
		type sums struct{ cur, prev FundSums }
		bySource := map[int64]*sums{}
		rows, err := t.query(ctx, `SELECT e.source_id, e.kind, SUM(CASE WHEN e.on_date >= ? THEN e.amount_fen ELSE 0 END),
			SUM(CASE WHEN e.on_date < ? THEN e.amount_fen ELSE 0 END)
			FROM fund_sources s JOIN fund_entries e ON e.source_id = s.id AND e.on_date >= ? AND e.on_date < ?
			WHERE s.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)
			GROUP BY e.source_id, e.kind`, mid, mid, from, to, place)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var kind string
			var cur, prev int64
			if err := rows.Scan(&id, &kind, &cur, &prev); err != nil {
				rows.Close()
				return err
			}
			x := bySource[id]
			if x == nil {
				x = &sums{}
				bySource[id] = x
			}
			x.cur.add(kind, cur)
			x.prev.add(kind, prev)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		kinds := map[string]*FundFigureRow{}
		for _, k := range funds.SourceKinds {
			kinds[k] = &FundFigureRow{Key: k}
		}
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
		childOf := map[string]string{pl.Code: pl.Code}
		merge := func(r *FundFigureRow, x *sums) {
			for _, p := range [][2]*FundSums{{&r.Current, &x.cur}, {&r.Previous, &x.prev}} {
				p[0].Received += p[1].Received
				p[0].Allocated += p[1].Allocated
				p[0].Spent += p[1].Spent
				p[0].InKind += p[1].InKind
			}
		}
		for id, x := range bySource {
			var kind, owner string
			if err := t.queryRow(ctx, `SELECT kind, place_code FROM fund_sources WHERE id = ?`, id).Scan(&kind, &owner); err != nil {
				return err
			}
			if r := kinds[kind]; r != nil {
				merge(r, x)
			}
			merge(&f.Total, x)
			child, ok := childOf[owner]
			if !ok {
				err := t.queryRow(ctx, `SELECT pt.ancestor FROM place_tree pt JOIN places c ON c.code = pt.ancestor
					WHERE pt.descendant = ? AND c.parent_code = ?`, owner, place).Scan(&child)
				if err != nil && !isNoRows(err) {
					return err
				}
				childOf[owner] = child
			}
			if r := byPlace[child]; r != nil {
				merge(r, x)
			}
		}
		for _, k := range funds.SourceKinds {
			f.ByKind = append(f.ByKind, *kinds[k])
		}
		for _, c := range order {
			f.ByPlace = append(f.ByPlace, *byPlace[c])
		}
		rows, err = t.query(ctx, `SELECT e.kind, SUM(CASE WHEN e.on_date >= ? THEN ft.share_fen ELSE 0 END),
			SUM(CASE WHEN e.on_date < ? THEN ft.share_fen ELSE 0 END)
			FROM fund_targets ft JOIN fund_entries e ON e.id = ft.entry_id
			WHERE ft.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND e.on_date >= ? AND e.on_date < ?
			AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = e.id) GROUP BY e.kind`, mid, mid, place, from, to)
		if err != nil {
			return err
		}
		f.Reached = FundFigureRow{Key: pl.Code, Name: pl.Name}
		for rows.Next() {
			var kind string
			var cur, prev int64
			if err := rows.Scan(&kind, &cur, &prev); err != nil {
				rows.Close()
				return err
			}
			f.Reached.Current.add(kind, cur)
			f.Reached.Previous.add(kind, prev)
		}
		rows.Close()
		// Households of the subtree that received something in the
		// period, from a source at any level.
		return t.queryRow(ctx, `SELECT COUNT(DISTINCT ft.household_id) FROM fund_targets ft JOIN fund_entries e ON e.id = ft.entry_id
			WHERE ft.place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) AND e.on_date >= ? AND e.on_date < ?
			AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_id = e.id)`, place, mid, to).Scan(&f.Households)
	})
	if err != nil {
		return f, fmt.Errorf("sqlstore: fund figures: %w", err)
	}
	return f, nil
}
