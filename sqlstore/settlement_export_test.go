package sqlstore

import (
	"context"
	"fmt"

	"safetynet"
)

// SettlementMonthClosedForTest runs the hook the recording of services
// calls, in a write transaction of its own.
func SettlementMonthClosedForTest(ctx context.Context, s *Store, org int64, month string) (bool, error) {
	var closed bool
	err := s.write(ctx, func(t *tx) error {
		var err error
		closed, err = s.settlementMonthClosed(ctx, t, org, month)
		return err
	})
	return closed, err
}

// RecordLikeServicesForTest does what the recording of a service does with
// the settlement: in one write, ask the hook (which takes the month's
// lock) and insert the record only if the month is open.
func RecordLikeServicesForTest(ctx context.Context, s *Store, contract, org, worker, household int64, start int64, month string) error {
	return s.write(ctx, func(t *tx) error {
		closed, err := s.settlementMonthClosed(ctx, t, org, month)
		if err != nil {
			return err
		}
		if closed {
			return safetynet.Conflict("month", "已关账", "the month is closed")
		}
		_, err = t.exec(ctx, `INSERT INTO service_records (client_id, contract_id, org_id, worker_id, household_id, place_code, service_type,
			started_at, ended_at, month, price_fen, recorded_by, created_at) SELECT ?, ?, ?, ?, id, place_code, 'cleaning', ?, ?, ?, 3000, 'test', ?
			FROM households WHERE id = ?`, fmt.Sprintf("race-%d-%d", org, start), contract, org, worker, start, start+3600, month, start, household)
		return err
	})
}
