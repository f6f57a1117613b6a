package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"safetynet"
)

// Steps of the relay that carry a deadline.
const (
	StepAcknowledge = "clue.acknowledge"
	StepVerify      = "clue.verify"
	StepHelp        = "case.help"
	StepDecide      = "application.decide"
	StepFollowup    = "followup.visit"
)

// roleOfLevel is who answers for a step at each level of the chain.
var roleOfLevel = map[safetynet.Level]safetynet.Role{
	safetynet.LevelGrid:    safetynet.RoleGridWorker,
	safetynet.LevelVillage: safetynet.RoleVillageStaff,
	safetynet.LevelTown:    safetynet.RoleTownOfficer,
	safetynet.LevelCounty:  safetynet.RoleCountyOfficer,
}

// ancestorAt returns the place of level l above place (or place itself).
func (s *Store) ancestorAt(ctx context.Context, t *tx, place string, l safetynet.Level) (string, bool, error) {
	var code string
	err := t.queryRow(ctx, `SELECT pt.ancestor FROM place_tree pt JOIN places p ON p.code = pt.ancestor
		WHERE pt.descendant = ? AND p.level = ? ORDER BY pt.depth LIMIT 1`, place, string(l)).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("sqlstore: %s of %s: %w", l, place, err)
	}
	return code, true, nil
}

// deadline is a step to open.
type deadline struct {
	kind                   string
	clueID, caseID, itemID int64
	place                  string          // the subject's place
	level                  safetynet.Level // who answers first
	due                    time.Time
	interval               time.Duration // how long each level gets
}

// openDeadline opens a step owned by the first level of the chain at or
// above d.level that exists above the place (a village without grids
// answers grid-level steps itself).
func (s *Store) openDeadline(ctx context.Context, t *tx, d deadline) (level safetynet.Level, owner string, err error) {
	level = d.level
	for {
		code, ok, err := s.ancestorAt(ctx, t, d.place, level)
		if err != nil {
			return "", "", err
		}
		if ok {
			owner = code
			break
		}
		next, more := safetynet.NextLevel(level)
		if !more {
			return "", "", fmt.Errorf("sqlstore: no %s above %s", level, d.place)
		}
		level = next
	}
	_, err = t.exec(ctx, `INSERT INTO deadlines (kind, clue_id, case_id, item_id, place_code, level, owner_place, due_at, interval_ms,
		status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`, d.kind, d.clueID, d.caseID, d.itemID, d.place,
		string(level), owner, ms(d.due), d.interval.Milliseconds(), ms(s.now()))
	if err != nil {
		return "", "", fmt.Errorf("sqlstore: open %s: %w", d.kind, err)
	}
	return level, owner, nil
}

// closeDeadlines marks the open steps of a kind for a subject done (or
// cancelled).
func (s *Store) closeDeadlines(ctx context.Context, t *tx, kind, column string, id int64, status string) error {
	q := `UPDATE deadlines SET status = ?, done_at = ? WHERE ` + column + ` = ? AND status = 'open'`
	args := []any{status, ms(s.now()), id}
	if kind != "" {
		q += ` AND kind = ?`
		args = append(args, kind)
	}
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("sqlstore: close %s: %w", kind, err)
	}
	return nil
}

// EscalateResult says what a sweep did.
type EscalateResult struct {
	Escalated int // steps moved one level up
	Skipped   bool
}

// Escalate moves every open step whose deadline has passed one level up
// the chain (grid → village → town → county), gives it a new deadline of
// the same length, records it on the timeline and tells the users of that
// level. A step at the county stays there, overdue. Several processes may
// sweep at once: each step moves once per deadline, because the update
// itself checks the deadline (and, on PostgreSQL, only one sweep runs at a
// time).
func (s *Store) Escalate(ctx context.Context) (EscalateResult, error) {
	var res EscalateResult
	now := s.now()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	token := fmt.Sprintf("%d-%s", now.UnixMilli(), hex.EncodeToString(b))
	err := s.write(ctx, func(t *tx) error {
		if s.d.name == "postgres" {
			var got bool
			if err := t.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(7215060102)`).Scan(&got); err != nil {
				return fmt.Errorf("sqlstore: sweep lock: %w", err)
			}
			if !got {
				res.Skipped = true
				return nil
			}
		}
		levels := safetynet.ChainLevels
		for i := len(levels) - 2; i >= 0; i-- {
			cur, next := levels[i], levels[i+1]
			r, err := t.exec(ctx, `UPDATE deadlines SET level = ?,
				owner_place = COALESCE((SELECT pt.ancestor FROM place_tree pt JOIN places p ON p.code = pt.ancestor
					WHERE pt.descendant = deadlines.place_code AND p.level = ? ORDER BY pt.depth LIMIT 1), owner_place),
				due_at = ? + interval_ms, escalations = escalations + 1, sweep = ?
				WHERE status = 'open' AND level = ? AND due_at <= ?`,
				string(next), string(next), ms(now), token, string(cur), ms(now))
			if err != nil {
				return fmt.Errorf("sqlstore: escalate %s: %w", cur, err)
			}
			n, _ := r.RowsAffected()
			res.Escalated += int(n)
		}
		if res.Escalated == 0 {
			return nil
		}
		return s.announceSweep(ctx, t, token, now)
	})
	return res, err
}

// announceSweep writes the timeline events, inbox notifications and
// outbox messages of the steps a sweep moved, set-based.
func (s *Store) announceSweep(ctx context.Context, t *tx, token string, now time.Time) error {
	detail := `'{"step":"' || d.kind || '","level":"' || d.level || '","owner":"' || d.owner_place || '"}'`
	link := `CASE WHEN d.case_id > 0 THEN '/cases/' || d.case_id ELSE '/clues/' || d.clue_id END`
	if _, err := t.exec(ctx, `INSERT INTO work_events (at, clue_id, case_id, household_id, place_code, kind, detail, username)
		SELECT ?, d.clue_id, d.case_id, COALESCE((SELECT c.household_id FROM clues c WHERE c.id = d.clue_id), 0), d.place_code,
		'escalated', `+detail+`, 'system' FROM deadlines d WHERE d.sweep = ?`, ms(now), token); err != nil {
		return fmt.Errorf("sqlstore: escalation events: %w", err)
	}
	roleOf := `CASE d.level WHEN 'grid' THEN 'grid_worker' WHEN 'village' THEN 'village_staff' WHEN 'town' THEN 'town_officer' ELSE 'county_officer' END`
	if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link, clue_id, case_id)
		SELECT u.id, ?, 'escalated', `+detail+`, `+link+`, d.clue_id, d.case_id
		FROM deadlines d JOIN users u ON u.place_code = d.owner_place AND u.disabled = 0 AND u.role = `+roleOf+`
		WHERE d.sweep = ?`, ms(now), token); err != nil {
		return fmt.Errorf("sqlstore: escalation notifications: %w", err)
	}
	for _, ch := range s.channels {
		if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at)
			SELECT ?, u.username, '超时升级 / overdue, escalated', '事项已超时，转交' || p.name || '处理', `+link+`, ?, ?
			FROM deadlines d JOIN users u ON u.place_code = d.owner_place AND u.disabled = 0 AND u.role = `+roleOf+`
			JOIN places p ON p.code = d.owner_place WHERE d.sweep = ?`, ch, ms(now), ms(now), token); err != nil {
			return fmt.Errorf("sqlstore: escalation outbox: %w", err)
		}
	}
	return nil
}
