package sqlstore

import (
	"context"
	"fmt"
)

// Helpers of the settlement benchmark (cmd/safetynet bench --suite settlement).

// BenchHouseholds returns up to n active households' IDs within place's
// subtree, the lowest first.
func (s *Store) BenchHouseholds(ctx context.Context, place string, n int) ([]int64, error) {
	var ids []int64
	err := s.read(ctx, func(t *tx) error {
		var err error
		ids, err = queryIDs(ctx, t, fmt.Sprintf(`SELECT id FROM households WHERE status = 'active'
			AND place_code IN (SELECT descendant FROM place_tree WHERE ancestor = ?) ORDER BY id LIMIT %d`, n), place)
		return err
	})
	return ids, err
}

// SettlementBaselineGroupBy is the raw baseline of a month's settlement:
// one plain GROUP BY of the accepted records' amounts per worker and type,
// nothing else (no scope, names, lists or budgets). It returns the total.
func (s *Store) SettlementBaselineGroupBy(ctx context.Context, org int64, month string) (int64, error) {
	var total int64
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT worker_id, service_type, SUM(price_fen) FROM service_records
			WHERE org_id = ? AND month = ? AND review_status = 'accepted' GROUP BY worker_id, service_type`, org, month)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w int64
			var typ string
			var fen int64
			if err := rows.Scan(&w, &typ, &fen); err != nil {
				return err
			}
			total += fen
		}
		return rows.Err()
	})
	return total, err
}

// SettlementBaselineLoop is the other raw baseline: every record of the
// month read and summed in a Go loop. It returns the accepted total.
func (s *Store) SettlementBaselineLoop(ctx context.Context, org int64, month string) (int64, error) {
	var total int64
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT worker_id, service_type, price_fen, review_status, flags FROM service_records WHERE org_id = ? AND month = ?`, org, month)
		if err != nil {
			return err
		}
		defer rows.Close()
		per := map[string]int64{}
		for rows.Next() {
			var w, fen int64
			var typ, status string
			var flags int
			if err := rows.Scan(&w, &typ, &fen, &status, &flags); err != nil {
				return err
			}
			if status == "accepted" && flags == 0 {
				per[fmt.Sprint(w, typ)] += fen
			}
		}
		for _, v := range per {
			total += v
		}
		return rows.Err()
	})
	return total, err
}

// AnalyzeServices refreshes the planner's statistics of the service tables
// after a bulk load (PostgreSQL runs here with autovacuum off).
func (s *Store) AnalyzeServices(ctx context.Context) error {
	q := "ANALYZE service_records"
	if s.d.name == "postgres" {
		q = "VACUUM ANALYZE service_records"
	}
	if _, err := s.w.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("sqlstore: analyze services: %w", err)
	}
	return nil
}

// StaffOrgOf returns the organisation, a contract and the worker row of a
// user who is an organisation's active staff (ok false if none): tests and
// seeding put services under the organisation the user works for.
func (s *Store) StaffOrgOf(ctx context.Context, userID int64) (ids ServiceOrgIDs, ok bool, err error) {
	err = s.read(ctx, func(t *tx) error {
		var worker int64
		err := t.queryRow(ctx, `SELECT w.id, w.org_id, (SELECT MIN(k.id) FROM service_contracts k WHERE k.org_id = w.org_id)
			FROM service_workers w WHERE w.user_id = ? AND w.status = 'active'`, userID).Scan(&worker, &ids.Org, &ids.Contract)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		ids.Workers, ok = []int64{worker}, ids.Contract != 0
		return nil
	})
	return ids, ok, err
}
