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

// VisitBenchReset empties the visits' state of a (copied) benchmark
// database: the due visits and their steps, the visits made, the last
// visits and the date of the last generation, so that the next
// generation does a first day's work.
func (s *Store) VisitBenchReset(ctx context.Context) error {
	err := s.write(ctx, func(t *tx) error {
		for _, q := range []string{
			`DELETE FROM deadlines WHERE kind = '` + StepVisit + `'`,
			`DELETE FROM visit_due`, `DELETE FROM visit_records`, `DELETE FROM visit_last`,
			`DELETE FROM settings WHERE name = 'visits.generated'`,
		} {
			if _, err := t.exec(ctx, q); err != nil {
				return fmt.Errorf("sqlstore: visits bench reset: %w", err)
			}
		}
		return nil
	})
	if err != nil || s.d.name != "postgres" {
		return err
	}
	// What autovacuum would do after so many deletes (it is off here).
	for _, table := range []string{"visit_due", "visit_records", "visit_last", "deadlines", "events"} {
		if _, err := s.w.ExecContext(ctx, `VACUUM ANALYZE `+table); err != nil {
			return fmt.Errorf("sqlstore: vacuum %s: %w", table, err)
		}
	}
	return nil
}

// VisitBenchAnalyze updates the planner's statistics of the visits'
// tables after the bulk generation (PostgreSQL runs without autovacuum
// here; SQLite plans without statistics, as in production).
func (s *Store) VisitBenchAnalyze(ctx context.Context) error {
	if s.d.name != "postgres" {
		return nil
	}
	for _, table := range []string{"visit_due", "visit_records", "visit_last", "visit_marks", "visit_pairs", "deadlines"} {
		if _, err := s.w.ExecContext(ctx, `ANALYZE `+table); err != nil {
			return fmt.Errorf("sqlstore: analyze %s: %w", table, err)
		}
	}
	return nil
}

// VisitBenchVacuum runs VACUUM ANALYZE on a PostgreSQL database whose
// households were never analyzed (a bulk-loaded copy on a server without
// autovacuum: its planner would have no statistics, unlike a server in
// service). It reports whether it ran.
func (s *Store) VisitBenchVacuum(ctx context.Context) (bool, error) {
	if s.d.name != "postgres" {
		return false, nil
	}
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'households'
		AND last_analyze IS NULL AND last_autoanalyze IS NULL`).Scan(&n); err != nil {
		return false, fmt.Errorf("sqlstore: analyzed?: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		return false, fmt.Errorf("sqlstore: vacuum analyze: %w", err)
	}
	return true, nil
}
