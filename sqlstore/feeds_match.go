package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// registered is a person of the register an event is matched to.
type registered struct {
	person, household int64
	place             string // the household's village (or its place when above a village)
}

// matchFeed finds the registered persons of the batch's ID numbers, by
// blind index, with their household and its village.
func (s *Store) matchFeed(ctx context.Context, t *tx, p *preparedFeed) (map[string]registered, error) {
	var idxs []any
	seen := map[string]bool{}
	for i, b := range p.idx {
		if b != nil && !seen[string(b)] {
			seen[string(b)] = true
			idxs = append(idxs, p.idx[i])
		}
	}
	found := map[string]registered{}
	places := map[string]string{}
	err := t.lookupIn(ctx, `SELECT p.id_idx, p.id, p.household_id, h.place_code FROM persons p JOIN households h ON h.id = p.household_id
		WHERE p.id_idx`, idxs, func(rows *sql.Rows) error {
		var b []byte
		var r registered
		if err := rows.Scan(&b, &r.person, &r.household, &r.place); err != nil {
			return err
		}
		found[string(b)] = r
		places[r.place] = r.place
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed match: %w", err)
	}
	codes := make([]any, 0, len(places))
	for c := range places {
		codes = append(codes, c)
	}
	err = t.lookupIn(ctx, `SELECT t.descendant, t.ancestor FROM place_tree t JOIN places v ON v.code = t.ancestor AND v.level = 'village'
		WHERE t.descendant`, codes, func(rows *sql.Rows) error {
		var d, v string
		if err := rows.Scan(&d, &v); err != nil {
			return err
		}
		places[d] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed match villages: %w", err)
	}
	for k, r := range found {
		r.place = places[r.place]
		found[k] = r
	}
	return found, nil
}

// lookupIn runs q (ending with the column compared) for values in chunks
// — "IN (?, …)" on SQLite, "= ANY(?)" with one array on PostgreSQL — and
// calls scan for every row.
func (t *tx) lookupIn(ctx context.Context, q string, values []any, scan func(*sql.Rows) error) error {
	chunk := lookupChunk
	if t.d.name == "postgres" {
		chunk = 20 * lookupChunk
	}
	for start := 0; start < len(values); start += chunk {
		part := values[start:min(start+chunk, len(values))]
		var rows *sql.Rows
		var err error
		if t.d.name == "postgres" {
			rows, err = t.query(ctx, q+" = ANY(?)", pgArray(part))
		} else {
			rows, err = t.query(ctx, q+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+")", part...)
		}
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}
