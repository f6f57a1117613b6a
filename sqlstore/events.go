package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"safetynet/access"
	"safetynet/rules"
)

// Event is a line of a household's or person's timeline.
type Event struct {
	ID          int64
	At          time.Time
	HouseholdID int64
	PersonID    int64
	Kind        string
	Detail      map[string]any
	Username    string
}

// event appends a timeline event in the transaction of the change.
func (s *Store) event(ctx context.Context, t *tx, a access.Actor, householdID, personID int64, place, kind string, detail map[string]any) error {
	d := "{}"
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("sqlstore: event detail: %w", err)
		}
		d = string(b)
	}
	_, err := t.exec(ctx, `INSERT INTO events (at, household_id, person_id, place_code, kind, detail, user_id, username)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ms(s.now()), householdID, personID, place, kind, d, a.UserID, a.Username)
	if err != nil {
		return fmt.Errorf("sqlstore: event %s: %w", kind, err)
	}
	if rules.AffectsScreening(kind) {
		return s.enqueue(ctx, t, householdID) // re-screened within seconds by the jobs loop
	}
	return nil
}

// events loads the newest events where column equals id, newest first.
func (s *Store) events(ctx context.Context, t *tx, column string, id int64, limit int) ([]Event, error) {
	rows, err := t.query(ctx, `SELECT id, at, household_id, person_id, kind, detail, username FROM events WHERE `+column+` = ?
		ORDER BY id DESC LIMIT ?`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var at int64
		var detail string
		if err := rows.Scan(&e.ID, &at, &e.HouseholdID, &e.PersonID, &e.Kind, &detail, &e.Username); err != nil {
			return nil, fmt.Errorf("sqlstore: events: %w", err)
		}
		e.At = fromMS(at)
		_ = json.Unmarshal([]byte(detail), &e.Detail)
		out = append(out, e)
	}
	return out, rows.Err()
}
