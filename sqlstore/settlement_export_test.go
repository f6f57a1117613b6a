package sqlstore

import "context"

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
