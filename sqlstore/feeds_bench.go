package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"safetynet/feeds"
)

// FeedPlainInsert is the feeds bench's baseline: the same rows a push
// stores, written as they come (no check, no encryption, no matching, no
// result rows, no queue) into a scratch table with insertRows in one
// write transaction. The table is dropped afterwards.
func (s *Store) FeedPlainInsert(ctx context.Context, rows []feeds.Row) error {
	const table = "feed_bench_plain"
	cols := []string{"row_no", "row_key", "id_number", "name", "event_type", "event_date", "address", "fields"}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE `+table+` (row_no INTEGER NOT NULL, row_key TEXT NOT NULL, id_number TEXT NOT NULL,
		name TEXT NOT NULL, event_type TEXT NOT NULL, event_date TEXT NOT NULL, address TEXT NOT NULL, fields TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: bench table: %w", err)
	}
	defer s.w.ExecContext(context.WithoutCancel(ctx), `DROP TABLE `+table)
	return s.write(ctx, func(t *tx) error {
		vals := make([][]any, len(rows))
		for i, r := range rows {
			b, err := json.Marshal(r.Fields)
			if err != nil {
				return err
			}
			vals[i] = []any{r.No, r.Key, r.IDNumber, r.Name, r.EventType, r.Date, r.Address, string(b)}
		}
		return t.insertRows(ctx, table, cols, vals)
	})
}
