package sqlstore

import (
	"context"
	"fmt"
)

// The baselines of the visits benchmark: the plainest statements doing
// the same amount of work as the day list, the day's generation and a
// visit record, so that the benchmark can say what the real work costs
// above them. They write only to the scratch table bench_visit_rows,
// made by VisitBaselinePrepare in a throw-away benchmark database.

// VisitBaselinePrepare makes the scratch table of the baselines.
func (s *Store) VisitBaselinePrepare(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS bench_visit_rows (household_id BIGINT NOT NULL, place_code TEXT NOT NULL,
			client_id TEXT NOT NULL, due_date TEXT NOT NULL)`)
		return err
	})
}

// VisitBaselineRead reads the open due visits of a place's subtree with
// a plain SELECT (no names, no pairs, no sorting) and counts them.
func (s *Store) VisitBaselineRead(ctx context.Context, place string) (int, error) {
	n := 0
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT id, household_id, due_at FROM visit_due WHERE status = 'open'
			AND place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?)`, place)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, hh, due int64
			if err := rows.Scan(&id, &hh, &due); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	})
	return n, err
}

// VisitBaselineInsertMany copies n households into the scratch table
// with one plain INSERT … SELECT.
func (s *Store) VisitBaselineInsertMany(ctx context.Context, n int) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM bench_visit_rows`); err != nil {
			return err
		}
		_, err := t.exec(ctx, fmt.Sprintf(`INSERT INTO bench_visit_rows (household_id, place_code, client_id, due_date)
			SELECT id, place_code, '', '2000-01-01' FROM households LIMIT %d`, n))
		return err
	})
}

// VisitBaselineInsertOne inserts one row into the scratch table.
func (s *Store) VisitBaselineInsertOne(ctx context.Context, householdID int64, clientID string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO bench_visit_rows (household_id, place_code, client_id, due_date) VALUES (?, '', ?, '2000-01-01')`,
			householdID, clientID)
		return err
	})
}
