package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// FeedEvent is a stored event, as the warning rules read it.
type FeedEvent struct {
	ID, BatchID int64
	Department  string
	RowKey      string
	Type        string // safetynet.EventTypes code
	Date        string // YYYY-MM-DD
	PersonID    int64  // 0 when the person is not in the register
	HouseholdID int64
	PlaceCode   string
	PlaceExact  bool // false: the best place known for a person outside the register
	IDNumber    string
	Name        string
	Address     string
	Fields      map[string]any // int64 for yuan (fen) and whole numbers, string otherwise
	CreatedAt   time.Time
}

const feedEventSelect = `SELECT id, batch_id, department, row_key, event_type, event_date, person_id, household_id, place_code,
	place_exact, id_enc, name, address, fields, created_at FROM feed_events `

// FeedEvents returns the events of a batch in row order. It applies no
// scope: it is for the warning rules, the bench and tests, never for a
// request.
func (s *Store) FeedEvents(ctx context.Context, batch int64) ([]FeedEvent, error) {
	var out []FeedEvent
	err := s.read(ctx, func(t *tx) error {
		var err error
		out, err = s.feedEvents(ctx, t, `WHERE batch_id = ? ORDER BY id`, batch)
		return err
	})
	return out, err
}

// feedEvents reads events selected by cond (a WHERE … ORDER BY clause).
func (s *Store) feedEvents(ctx context.Context, t *tx, cond string, args ...any) ([]FeedEvent, error) {
	rows, err := t.query(ctx, feedEventSelect+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: feed events: %w", err)
	}
	defer rows.Close()
	var out []FeedEvent
	for rows.Next() {
		var e FeedEvent
		var exact int
		var enc []byte
		var fields string
		var at int64
		if err := rows.Scan(&e.ID, &e.BatchID, &e.Department, &e.RowKey, &e.Type, &e.Date, &e.PersonID, &e.HouseholdID, &e.PlaceCode,
			&exact, &enc, &e.Name, &e.Address, &fields, &at); err != nil {
			return nil, fmt.Errorf("sqlstore: feed events: %w", err)
		}
		e.PlaceExact, e.CreatedAt = exact == 1, fromMS(at)
		if e.IDNumber, err = s.unseal(enc, ctxFeedID); err != nil {
			return nil, err
		}
		if e.Fields, err = decodeFeedFields(fields); err != nil {
			return nil, fmt.Errorf("sqlstore: feed event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// decodeFeedFields reads an event's fields: whole numbers as int64.
func decodeFeedFields(text string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		if n, ok := v.(json.Number); ok && !strings.ContainsAny(string(n), ".eE") {
			i, err := n.Int64()
			if err != nil {
				return nil, err
			}
			out[k] = i
			continue
		}
		out[k] = v
	}
	return out, nil
}

// WarningQueueLen counts the events waiting for the warning rules.
func (s *Store) WarningQueueLen(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM warning_queue`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlstore: warning queue: %w", err)
	}
	return n, nil
}
