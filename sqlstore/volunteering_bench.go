package sqlstore

import (
	"context"
	"fmt"
)

// VolunteerPlainTakeForBench is the benchmark's baseline of taking a
// place: the conditional UPDATE alone, in a write of its own, without the
// taker's lookup, the seat row, its unique key or the audit entry.
func (s *Store) VolunteerPlainTakeForBench(ctx context.Context, slotID int64) (bool, error) {
	var got bool
	err := s.write(ctx, func(t *tx) error {
		r, err := t.exec(ctx, `UPDATE volunteer_slots SET taken = taken + 1 WHERE id = ? AND taken < capacity`, slotID)
		if err != nil {
			return fmt.Errorf("sqlstore: plain take: %w", err)
		}
		n, _ := r.RowsAffected()
		got = n == 1
		return nil
	})
	return got, err
}
