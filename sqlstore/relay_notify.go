package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/notify"
	"safetynet/relay"
)

// Notification is a message of a user's inbox.
type Notification struct {
	ID        int64
	CreatedAt time.Time
	Kind      string
	Detail    map[string]any
	Link      string
	ClueID    int64
	CaseID    int64
	Read      bool
}

// note is a notification to write: what relay decided to say.
type note = relay.Notice

// notifyLevel tells the users who answer at level for place owner: an
// inbox row each, and a message on each outbox channel.
func (s *Store) notifyLevel(ctx context.Context, t *tx, level safetynet.Level, owner string, n note) error {
	role, _ := relay.RoleOfLevel(level)
	return s.notifyUsers(ctx, t, n, `SELECT id, username FROM users WHERE place_code = ? AND role = ? AND disabled = 0`,
		owner, string(role))
}

// notifyUsers tells the users a query selects (their id and username) of
// n: an inbox row each, and a message on each outbox channel.
func (s *Store) notifyUsers(ctx context.Context, t *tx, n note, query string, args ...any) error {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqlstore: users to notify: %w", err)
	}
	type user struct {
		id   int64
		name string
	}
	var users []user
	for rows.Next() {
		var u user
		if err := rows.Scan(&u.id, &u.name); err != nil {
			rows.Close()
			return err
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range users {
		if err := s.notifyUser(ctx, t, u.id, u.name, n); err != nil {
			return err
		}
	}
	return nil
}

// notifyUser writes one user's inbox row and outbox messages.
func (s *Store) notifyUser(ctx context.Context, t *tx, userID int64, username string, n note) error {
	d, err := json.Marshal(n.Detail)
	if err != nil {
		return err
	}
	now := ms(s.now())
	if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link, clue_id, case_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, userID, now, n.Kind, string(d), n.Link, n.ClueID, n.CaseID); err != nil {
		return fmt.Errorf("sqlstore: notify: %w", err)
	}
	for _, ch := range s.channels {
		if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, ch, username, n.Subject, n.Body, n.Link, now, now); err != nil {
			return fmt.Errorf("sqlstore: outbox: %w", err)
		}
	}
	return nil
}

// Inbox returns the actor's newest notifications and the number unread.
func (s *Store) Inbox(ctx context.Context, a access.Actor, limit int) ([]Notification, int, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []Notification
	var unread int
	err := s.read(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, a.UserID).Scan(&unread); err != nil {
			return fmt.Errorf("sqlstore: inbox: %w", err)
		}
		rows, err := t.query(ctx, `SELECT id, created_at, kind, detail, link, clue_id, case_id, read_at FROM notifications
			WHERE user_id = ? ORDER BY id DESC LIMIT ?`, a.UserID, limit)
		if err != nil {
			return fmt.Errorf("sqlstore: inbox: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n Notification
			var at, read int64
			var detail string
			if err := rows.Scan(&n.ID, &at, &n.Kind, &detail, &n.Link, &n.ClueID, &n.CaseID, &read); err != nil {
				return err
			}
			n.CreatedAt, n.Read = fromMS(at), read != 0
			_ = json.Unmarshal([]byte(detail), &n.Detail)
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, unread, err
}

// Unread counts the actor's unread notifications.
func (s *Store) Unread(ctx context.Context, a access.Actor) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, a.UserID).Scan(&n)
	return n, err
}

// MarkRead marks the actor's notifications read: one, or all if id is 0.
func (s *Store) MarkRead(ctx context.Context, a access.Actor, id int64) error {
	return s.write(ctx, func(t *tx) error {
		q, args := `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`, []any{ms(s.now()), a.UserID}
		if id != 0 {
			q, args = q+` AND id = ?`, append(args, id)
		}
		_, err := t.exec(ctx, q, args...)
		return err
	})
}

// The store is the outbox of notify.Dispatcher.
var _ notify.Queue = (*Store)(nil)

// Claim leases up to limit due outbox messages to owner.
func (s *Store) Claim(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	var out []notify.Message
	err := s.write(ctx, func(t *tx) error {
		ids, err := queryIDs(ctx, t, `SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND lease_until <= ?
			ORDER BY next_attempt_at, id LIMIT ?`, ms(now), ms(now), limit)
		if err != nil {
			return fmt.Errorf("sqlstore: claim: %w", err)
		}
		for _, id := range ids {
			// Compare-and-set: a message another process leased meanwhile is
			// skipped, and so is one it leased, failed to send and put back
			// for later (its lease is over but its next attempt is not due).
			r, err := t.exec(ctx, `UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = 'pending' AND lease_until <= ?
				AND next_attempt_at <= ?`, owner, ms(now.Add(lease)), id, ms(now), ms(now))
			if err != nil {
				return fmt.Errorf("sqlstore: claim: %w", err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				continue
			}
			var m notify.Message
			var created int64
			if err := t.queryRow(ctx, `SELECT id, channel, recipient, subject, body, link, created_at, attempts FROM outbox WHERE id = ?`, id).
				Scan(&m.ID, &m.Channel, &m.Recipient, &m.Subject, &m.Body, &m.Link, &created, &m.Attempts); err != nil {
				return fmt.Errorf("sqlstore: claim: %w", err)
			}
			m.CreatedAt = fromMS(created)
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

func (s *Store) settle(ctx context.Context, q string, args ...any) error {
	return s.write(ctx, func(t *tx) error {
		r, err := t.exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: outbox: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return notify.ErrLeaseLost
		}
		return nil
	})
}

// Sent records a delivery.
func (s *Store) Sent(ctx context.Context, id int64, owner string, now time.Time) error {
	return s.settle(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, lease_until = 0
		WHERE id = ? AND lease_owner = ? AND lease_until > ?`, ms(now), id, owner, ms(now))
}

// Retry schedules another attempt.
func (s *Store) Retry(ctx context.Context, id int64, owner string, next time.Time, reason string) error {
	return s.settle(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, lease_until = 0
		WHERE id = ? AND lease_owner = ? AND lease_until > ?`, ms(next), clip(reason, 500), id, owner, ms(s.now()))
}

// GiveUp stops delivering a message.
func (s *Store) GiveUp(ctx context.Context, id int64, owner string, now time.Time, reason string) error {
	return s.settle(ctx, `UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ?, lease_until = 0
		WHERE id = ? AND lease_owner = ? AND lease_until > ?`, clip(reason, 500), id, owner, ms(now))
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
