package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/relay"
	"safetynet/volunteering"
)

// VolunteerSweep says what one sweep did.
type VolunteerSweep struct {
	Reminders int // takers reminded of a slot starting soon
	Empty     int // slots short of people a day before, now alerted
	Alerts    int // notices to villages (one per relay per sweep)
}

// sweepBatch bounds the rows one sweep handles; the next takes the rest.
const sweepBatch = 500

// SweepVolunteering sends the reminders of slots starting within
// ReminderBefore and alerts the village of slots still short of people
// EmptyAlertBefore their start. Each row is claimed by a conditional
// UPDATE (reminded_at = 0, empty_alerted_at = 0) in the transaction that
// writes its notices, so a reminder or an alert goes out exactly once,
// after a restart and with several processes sweeping at once.
func (s *Store) SweepVolunteering(ctx context.Context) (VolunteerSweep, error) {
	var res VolunteerSweep
	now := s.now()
	err := s.write(ctx, func(t *tx) error {
		res = VolunteerSweep{}
		if err := s.sweepReminders(ctx, t, now, &res); err != nil {
			return err
		}
		return s.sweepEmpty(ctx, t, now, &res)
	})
	return res, err
}

func (s *Store) sweepReminders(ctx context.Context, t *tx, now time.Time, res *VolunteerSweep) error {
	rows, err := t.query(ctx, `SELECT m.id, m.slot_id, m.volunteer_id, COALESCE(v.user_id, 0), COALESCE(u.username, ''), sl.starts_at, k.title, r.short_name
		FROM volunteer_takes m JOIN volunteer_slots sl ON sl.id = m.slot_id JOIN volunteer_tasks k ON k.id = sl.task_id
		JOIN volunteer_relays r ON r.id = sl.relay_id JOIN volunteers v ON v.id = m.volunteer_id LEFT JOIN users u ON u.id = v.user_id
		WHERE m.reminded_at = 0 AND m.status = 'taken' AND m.starts_at <= ? AND m.starts_at > ? AND r.status = 'open'
		ORDER BY m.starts_at, m.id LIMIT ?`, ms(now.Add(volunteering.ReminderBefore)), ms(now), sweepBatch)
	if err != nil {
		return fmt.Errorf("sqlstore: reminders: %w", err)
	}
	type due struct {
		id, slot, volunteer, user int64
		username, task, short     string
		start                     int64
	}
	var l []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.slot, &d.volunteer, &d.user, &d.username, &d.start, &d.task, &d.short); err != nil {
			rows.Close()
			return err
		}
		l = append(l, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range l {
		r, err := t.exec(ctx, `UPDATE volunteer_takes SET reminded_at = ? WHERE id = ? AND reminded_at = 0`, ms(now), d.id)
		if err != nil {
			return fmt.Errorf("sqlstore: reminder: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			continue // another process reminded it
		}
		subject, body := volunteering.ReminderText(d.task, d.short, fromMS(d.start))
		n := relay.Notice{Kind: volunteering.NoticeReminder, Detail: map[string]any{"task": d.task, "start": d.start, "slot": d.slot},
			Link: "/volunteering/mine", Subject: subject, Body: body}
		if d.user != 0 {
			if err := s.notifyUser(ctx, t, d.user, d.username, n); err != nil {
				return err
			}
		} else {
			// A neighbour has no inbox: the outbox's senders address them
			// by volunteer id (the gateway holds the number), never by a
			// phone in clear.
			for _, ch := range s.channels {
				if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, ch, fmt.Sprintf("volunteer:%d", d.volunteer), subject, body, "", ms(now), ms(now)); err != nil {
					return fmt.Errorf("sqlstore: outbox: %w", err)
				}
			}
		}
		res.Reminders++
	}
	return nil
}

func (s *Store) sweepEmpty(ctx context.Context, t *tx, now time.Time, res *VolunteerSweep) error {
	rows, err := t.query(ctx, `SELECT sl.id, sl.relay_id, sl.starts_at, r.title, r.village_code FROM volunteer_slots sl
		JOIN volunteer_relays r ON r.id = sl.relay_id
		WHERE sl.empty_alerted_at = 0 AND sl.starts_at <= ? AND sl.starts_at > ? AND sl.taken < sl.capacity AND r.status = 'open'
		ORDER BY sl.starts_at, sl.id LIMIT ?`, ms(now.Add(volunteering.EmptyAlertBefore)), ms(now), sweepBatch)
	if err != nil {
		return fmt.Errorf("sqlstore: empty slots: %w", err)
	}
	type slot struct {
		id, relay, start int64
		title, village   string
	}
	var l []slot
	for rows.Next() {
		var d slot
		if err := rows.Scan(&d.id, &d.relay, &d.start, &d.title, &d.village); err != nil {
			rows.Close()
			return err
		}
		l = append(l, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	type group struct {
		title, village string
		count          int
		first          int64
	}
	groups := map[int64]*group{}
	var order []int64
	for _, d := range l {
		r, err := t.exec(ctx, `UPDATE volunteer_slots SET empty_alerted_at = ? WHERE id = ? AND empty_alerted_at = 0 AND taken < capacity`, ms(now), d.id)
		if err != nil {
			return fmt.Errorf("sqlstore: empty alert: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			continue
		}
		res.Empty++
		g := groups[d.relay]
		if g == nil {
			g = &group{title: d.title, village: d.village, first: d.start}
			groups[d.relay] = g
			order = append(order, d.relay)
		}
		g.count++
	}
	for _, id := range order {
		g := groups[id]
		subject, body := volunteering.EmptyText(g.title, g.count, fromMS(g.first))
		n := relay.Notice{Kind: volunteering.NoticeEmpty, Detail: map[string]any{"title": g.title, "count": g.count, "first": g.first, "relay": id},
			Link: fmt.Sprintf("/volunteering/relays/%d", id), Subject: subject, Body: body}
		if err := s.notifyLevel(ctx, t, safetynet.LevelVillage, g.village, n); err != nil {
			return err
		}
		res.Alerts++
	}
	return nil
}
