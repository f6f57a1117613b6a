package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet/inspections"
)

// BackdateRectification moves a demo rectification's dates days into the
// past — when it was raised, reported and accepted, its due date, its
// deadlines (the audit log is append-only: its entries keep their times) — so that the demo shows one as a village
// would have left it. For demo data only: nothing else changes dates.
func (s *Store) BackdateRectification(ctx context.Context, id int64, days int) error {
	shift := int64(days) * int64(24*time.Hour/time.Millisecond)
	return s.write(ctx, func(t *tx) error {
		var due string
		if err := t.queryRow(ctx, `SELECT due_on FROM rectifications WHERE id = ?`, id).Scan(&due); err != nil {
			return fmt.Errorf("sqlstore: backdate rectification %d: %w", id, err)
		}
		d, err := time.Parse(time.DateOnly, due)
		if err != nil {
			return fmt.Errorf("sqlstore: backdate rectification %d: %w", id, err)
		}
		for _, q := range []struct {
			q    string
			args []any
		}{
			{`UPDATE rectifications SET due_on = ?, raised_at = raised_at - ?,
				reported_at = CASE WHEN reported_at > 0 THEN reported_at - ? ELSE 0 END,
				accepted_at = CASE WHEN accepted_at > 0 THEN accepted_at - ? ELSE 0 END WHERE id = ?`,
				[]any{d.AddDate(0, 0, -days).Format(time.DateOnly), shift, shift, shift, id}},
			{`UPDATE deadlines SET due_at = due_at - ?, created_at = created_at - ?,
				done_at = CASE WHEN done_at > 0 THEN done_at - ? ELSE 0 END WHERE kind = ? AND item_id = ?`,
				[]any{shift, shift, shift, inspections.KindRectify, id}},
		} {
			if _, err := t.exec(ctx, q.q, q.args...); err != nil {
				return fmt.Errorf("sqlstore: backdate rectification %d: %w", id, err)
			}
		}
		return nil
	})
}
