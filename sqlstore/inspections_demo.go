package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet/inspections"
)

// BackdateInspection moves a closed inspection's dates back by days (its
// planned date, creation, draw, start, close and its checks), for demo
// data of a past inspection: a new inspection cannot be planned in the
// past. It refuses any inspection that is not closed.
func (s *Store) BackdateInspection(ctx context.Context, id int64, days int) error {
	shift := int64(days) * int64(24*time.Hour/time.Millisecond)
	return s.write(ctx, func(t *tx) error {
		var planned, status string
		if err := t.queryRow(ctx, `SELECT planned_on, status FROM inspections WHERE id = ?`, id).Scan(&planned, &status); err != nil {
			return fmt.Errorf("sqlstore: backdate inspection %d: %w", id, err)
		}
		if status != inspections.StatusClosed {
			return fmt.Errorf("sqlstore: backdate inspection %d: status %s, want closed", id, status)
		}
		d, err := time.Parse(time.DateOnly, planned)
		if err != nil {
			return fmt.Errorf("sqlstore: backdate inspection %d: %w", id, err)
		}
		if _, err := t.exec(ctx, `UPDATE inspections SET planned_on = ?, created_at = created_at - ?, drawn_at = drawn_at - ?,
			started_at = started_at - ?, closed_at = closed_at - ? WHERE id = ?`,
			d.AddDate(0, 0, -days).Format(time.DateOnly), shift, shift, shift, shift, id); err != nil {
			return fmt.Errorf("sqlstore: backdate inspection %d: %w", id, err)
		}
		if _, err := t.exec(ctx, `UPDATE inspection_checks SET checked_at = checked_at - ? WHERE inspection_id = ?`, shift, id); err != nil {
			return fmt.Errorf("sqlstore: backdate checks of %d: %w", id, err)
		}
		return nil
	})
}
