package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"safetynet"
)

// FeedEventSeed is a department event written directly, as the feeds
// capability stores a matched or unregistered row: for the demo's
// warnings and the warnings benchmark. Fields follow the feeds contract
// (yuan amounts as integer fen).
type FeedEventSeed struct {
	RowKey      string
	Type        string // safetynet.EventTypes code
	Date        string // YYYY-MM-DD
	PersonID    int64  // 0: not in the register
	HouseholdID int64
	PlaceCode   string
	PlaceExact  bool
	IDNumber    string // stored encrypted with its blind index
	Name        string
	Address     string
	Fields      map[string]any
}

// SeedFeedEvents stores a batch of events of department pushed by the
// account by in county, each queued for the warning rules in the same
// transaction (the feeds contract: feed_batches, feed_rows, feed_events,
// warning_queue). It returns the batch's id.
func (s *Store) SeedFeedEvents(ctx context.Context, department, batchKey, county, by string, evs []FeedEventSeed) (int64, error) {
	if !safetynet.Departments.Valid(department) {
		return 0, safetynet.Invalid("department", "未知部门", "unknown department %q", department)
	}
	var batch int64
	err := s.write(ctx, func(t *tx) error {
		now := ms(s.now())
		matched, unreg := 0, 0
		for _, e := range evs {
			if e.PersonID != 0 {
				matched++
			} else {
				unreg++
			}
		}
		if err := t.queryRow(ctx, `INSERT INTO feed_batches (department, batch_key, county_code, source, row_count, matched, unregistered,
			rejected, created_by, created_at) VALUES (?, ?, ?, 'api', ?, ?, ?, 0, ?, ?) RETURNING id`,
			department, batchKey, county, len(evs), matched, unreg, by, now).Scan(&batch); err != nil {
			return fmt.Errorf("sqlstore: seed batch: %w", err)
		}
		ids, err := t.allocIDs(ctx, "feed_events", len(evs))
		if err != nil {
			return err
		}
		events := make([][]any, len(evs))
		results := make([][]any, len(evs))
		queue := make([][]any, len(evs))
		for i, e := range evs {
			if _, ok := safetynet.EventTypeOf(e.Type); !ok {
				return safetynet.Invalid("type", "未知事件类型", "unknown event type %q", e.Type)
			}
			enc, idx, err := s.seal(e.IDNumber, ctxPersonID, idxIDNumber)
			if err != nil {
				return err
			}
			fields := e.Fields
			if fields == nil {
				fields = map[string]any{}
			}
			fj, _ := json.Marshal(fields)
			exact := 0
			if e.PlaceExact || e.PersonID != 0 {
				exact = 1
			}
			events[i] = []any{ids[i], batch, department, e.RowKey, e.Type, e.Date, e.PersonID, e.HouseholdID, e.PlaceCode, exact, enc, idx,
				e.Name, e.Address, string(fj), now}
			status := "matched"
			if e.PersonID == 0 {
				status = "unregistered"
			}
			results[i] = []any{batch, i + 1, e.RowKey, status, ids[i]}
			queue[i] = []any{ids[i], now}
		}
		if err := t.insertRows(ctx, "feed_events", []string{"id", "batch_id", "department", "row_key", "event_type", "event_date",
			"person_id", "household_id", "place_code", "place_exact", "id_enc", "id_idx", "name", "address", "fields", "created_at"}, events); err != nil {
			return err
		}
		if err := t.insertRows(ctx, "feed_rows", []string{"batch_id", "row_no", "row_key", "status", "event_id"}, results); err != nil {
			return err
		}
		return t.insertRows(ctx, "warning_queue", []string{"event_id", "queued_at"}, queue)
	})
	return batch, err
}
