package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/relay"
)

// Steps of the relay that carry a deadline (see relay).
const (
	StepAcknowledge = relay.StepAcknowledge
	StepVerify      = relay.StepVerify
	StepHelp        = relay.StepHelp
	StepDecide      = relay.StepDecide
	StepFollowup    = relay.StepFollowup
)

// roleOfLevelSQL is relay.RoleOfLevel as an SQL expression over a level
// column.
func roleOfLevelSQL(column string) string {
	e := "CASE " + column
	for _, l := range relay.ChainLevels {
		r, _ := relay.RoleOfLevel(l)
		e += fmt.Sprintf(" WHEN '%s' THEN '%s'", l, r)
	}
	return e + " END"
}

// nextLevelSQL is relay.Escalation's target level as an SQL expression
// over a level column, with the levels that have one.
func nextLevelSQL(column string) (expr string, from []string) {
	expr = "CASE " + column
	for _, l := range relay.ChainLevels {
		if next, _, ok := relay.Escalation(l); ok {
			expr += fmt.Sprintf(" WHEN '%s' THEN '%s'", l, next)
			from = append(from, "'"+string(l)+"'")
		}
	}
	return expr + " END", from
}

// textSQL writes the text f makes of its arguments as an SQL expression,
// with the arguments taken from SQL expressions (in whatever order the
// text uses them): a rule's text is written once, in relay, even when
// storage fills it in set-based.
func textSQL(f func(...string) string, exprs ...string) (string, []any) {
	marks := make([]string, len(exprs))
	for i := range marks {
		marks[i] = fmt.Sprintf("\x00%d\x00", i)
	}
	text := f(marks...)
	var parts []string
	var args []any
	for {
		at, which := -1, -1
		for i, m := range marks {
			if j := strings.Index(text, m); j >= 0 && (at < 0 || j < at) {
				at, which = j, i
			}
		}
		if which < 0 {
			break
		}
		parts, args = append(parts, "CAST(? AS TEXT)", exprs[which]), append(args, text[:at])
		text = text[at+len(marks[which]):]
	}
	return strings.Join(append(parts, "CAST(? AS TEXT)"), " || "), append(args, text)
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

// deadline is a step to open: what relay decided, about a subject.
type deadline struct {
	relay.Opening
	clueID, caseID, itemID int64
	place                  string // the subject's place
}

// openDeadline opens a step owned by the level relay.OwnerLevel chooses
// above the place.
func (s *Store) openDeadline(ctx context.Context, t *tx, d deadline) (level safetynet.Level, owner string, err error) {
	level, ok, err := relay.OwnerLevel(d.Level, func(l safetynet.Level) (bool, error) {
		code, ok, err := s.ancestorAt(ctx, t, d.place, l)
		owner = code
		return ok, err
	})
	if err != nil {
		return "", "", err
	}
	if !ok {
		return "", "", fmt.Errorf("sqlstore: no %s above %s", d.Level, d.place)
	}
	_, err = t.exec(ctx, `INSERT INTO deadlines (kind, clue_id, case_id, item_id, place_code, level, owner_place, due_at, interval_ms,
		status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`, d.Kind, d.clueID, d.caseID, d.itemID, d.place,
		string(level), owner, ms(d.Due), d.Interval.Milliseconds(), ms(s.now()))
	if err != nil {
		return "", "", fmt.Errorf("sqlstore: open %s: %w", d.Kind, err)
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
// sweep at once: each step moves once per deadline, because the sweep
// runs in one write transaction that checks the deadline (SQLite has one
// writer; on PostgreSQL an advisory lock lets one sweep run at a time).
//
// The sweep is set-based: the steps due are gathered in a temporary
// table with the level each goes to, the owners of those levels are
// looked up once per place, and the moves, timeline lines and messages
// are each one statement, however many steps are due.
func (s *Store) Escalate(ctx context.Context) (EscalateResult, error) {
	var res EscalateResult
	now := s.now()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	token := fmt.Sprintf("%d-%s", now.UnixMilli(), hex.EncodeToString(b))
	err := s.write(ctx, func(t *tx) error {
		res = EscalateResult{}
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
		if err := s.sweepTables(ctx, t); err != nil {
			return err
		}
		// Gather first, then move: a step goes up one level per sweep.
		next, from := nextLevelSQL("d.level")
		r, err := t.exec(ctx, `INSERT INTO sweep_due (id, place_code, next_level) SELECT d.id, d.place_code, `+next+`
			FROM deadlines d WHERE d.status = 'open' AND d.due_at <= ? AND d.level IN (`+strings.Join(from, ", ")+`)`, ms(now))
		if err != nil {
			return fmt.Errorf("sqlstore: sweep: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := t.exec(ctx, `INSERT INTO sweep_owner (place_code, level, owner)
			SELECT x.place_code, x.next_level, (SELECT pt.ancestor FROM place_tree pt JOIN places p ON p.code = pt.ancestor
				WHERE pt.descendant = x.place_code AND p.level = x.next_level ORDER BY pt.depth LIMIT 1)
			FROM (SELECT DISTINCT place_code, next_level FROM sweep_due) x`); err != nil {
			return fmt.Errorf("sqlstore: sweep owners: %w", err)
		}
		// On PostgreSQL the moved steps carry the sweep's token, to tell
		// them from steps closed meanwhile; SQLite's single writer needs none.
		mark, args := "", []any{ms(now)}
		if s.d.name == "postgres" {
			mark, args = ", sweep = ?", append(args, token)
		}
		r, err = t.exec(ctx, `UPDATE deadlines SET level = x.next_level, owner_place = COALESCE(x.owner, deadlines.owner_place),
			due_at = ? + deadlines.interval_ms, escalations = deadlines.escalations + 1`+mark+`
			FROM (SELECT sd.id, sd.next_level, so.owner FROM sweep_due sd
				LEFT JOIN sweep_owner so ON so.place_code = sd.place_code AND so.level = sd.next_level) x
			WHERE deadlines.id = x.id AND deadlines.status = 'open' AND deadlines.due_at <= ?`, append(args, ms(now))...)
		if err != nil {
			return fmt.Errorf("sqlstore: escalate: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Escalated = int(n)
		if s.d.name == "postgres" {
			// A step closed between gathering and moving stays where it is.
			if _, err := t.exec(ctx, `DELETE FROM sweep_due WHERE NOT EXISTS
				(SELECT 1 FROM deadlines d WHERE d.id = sweep_due.id AND d.sweep = ?)`, token); err != nil {
				return fmt.Errorf("sqlstore: sweep: %w", err)
			}
		}
		if err := s.announceSweep(ctx, t, now); err != nil {
			return err
		}
		return s.enqueueOverdue(ctx, t, now) // a first overdue step turns a colour (colours_compute.go)
	})
	return res, err
}

// sweepTables makes the sweep's temporary tables (once per connection)
// and empties them.
func (s *Store) sweepTables(ctx context.Context, t *tx) error {
	id, keep := "INTEGER", ""
	if s.d.name == "postgres" {
		id, keep = "BIGINT", " ON COMMIT DELETE ROWS"
	}
	for _, q := range []string{
		`CREATE TEMP TABLE IF NOT EXISTS sweep_due (id ` + id + ` PRIMARY KEY, place_code TEXT NOT NULL, next_level TEXT NOT NULL)` + keep,
		`CREATE TEMP TABLE IF NOT EXISTS sweep_owner (place_code TEXT NOT NULL, level TEXT NOT NULL, owner TEXT,
			PRIMARY KEY (place_code, level))` + keep,
		`CREATE TEMP TABLE IF NOT EXISTS sweep_group (owner_place TEXT NOT NULL, level TEXT NOT NULL, n INTEGER NOT NULL,
			PRIMARY KEY (owner_place, level))` + keep,
		`DELETE FROM sweep_due`, `DELETE FROM sweep_owner`, `DELETE FROM sweep_group`,
	} {
		if _, err := t.exec(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: sweep tables: %w", err)
		}
	}
	return nil
}

// deadlineLinkSQL is the page a step (table alias d) leads to: the relay's
// clue or case, or the item of another module's step — a monitoring
// process, a certification, the day's visits, a village's register list
// (登记造册), a campaign goal's progress at the village, a rectification.
const deadlineLinkSQL = `CASE WHEN d.kind LIKE 'monitoring.%' THEN '/monitoring/' || d.item_id
	WHEN d.kind LIKE 'certification.%' THEN '/certifications/' || d.item_id
	WHEN d.kind = 'visit.due' THEN '/visits'
	WHEN d.kind = 'campaign.stage' THEN '/enrol/stages/' || d.item_id
	WHEN d.kind = 'campaign.goal' THEN COALESCE((SELECT '/campaigns/' || g.campaign_id || '/goals?place=' || d.place_code FROM campaign_goals g WHERE g.id = d.item_id), '/campaigns')
	WHEN d.kind = 'inspection.rectify' THEN '/rectifications/' || d.item_id
	WHEN d.case_id > 0 THEN '/cases/' || d.case_id ELSE '/clues/' || d.clue_id END`

// deadlineSubjectSQL names what a step of a campaign or an inspection is
// about (the relay's steps name their person from the clue or case).
const deadlineSubjectSQL = `CASE WHEN d.kind = 'campaign.stage' THEN (SELECT c.title FROM campaign_village_stages v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id = d.item_id)
	WHEN d.kind = 'campaign.goal' THEN (SELECT c.title || ' · ' || g.title FROM campaign_goals g JOIN campaigns c ON c.id = g.campaign_id WHERE g.id = d.item_id)
	WHEN d.kind = 'inspection.rectify' THEN (SELECT i.title || ' · ' || r.finding FROM rectifications r JOIN inspections i ON i.id = r.inspection_id WHERE r.id = d.item_id)
	END`

// announceSweep writes the timeline lines of the steps a sweep moved, and
// tells the users of each new owner place: one message per step when
// there are few, one saying how many otherwise.
func (s *Store) announceSweep(ctx context.Context, t *tx, now time.Time) error {
	detail := `'{"step":"' || d.kind || '","level":"' || d.level || '","owner":"' || d.owner_place || '","item":' || d.item_id || '}'`
	link := deadlineLinkSQL
	if _, err := t.exec(ctx, `INSERT INTO work_events (at, clue_id, case_id, household_id, place_code, kind, detail, username)
		SELECT ?, d.clue_id, d.case_id, COALESCE((SELECT c.household_id FROM clues c WHERE c.id = d.clue_id),
			(SELECT mp.household_id FROM monitoring_processes mp WHERE mp.id = d.item_id AND d.kind LIKE 'monitoring.%'),
			(SELECT cd.household_id FROM certification_dues cd WHERE cd.id = d.item_id AND d.kind LIKE 'certification.%'), 0), d.place_code,
		'escalated', `+detail+`, 'system' FROM sweep_due x JOIN deadlines d ON d.id = x.id`, ms(now)); err != nil {
		return fmt.Errorf("sqlstore: escalation events: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO sweep_group (owner_place, level, n)
		SELECT d.owner_place, d.level, COUNT(*) FROM sweep_due x JOIN deadlines d ON d.id = x.id GROUP BY d.owner_place, d.level`); err != nil {
		return fmt.Errorf("sqlstore: escalation groups: %w", err)
	}
	// The recipients: the users of each new owner place with the role that
	// answers at its level; few steps, a message per step; many, one
	// (relay.Digest).
	over := fmt.Sprint(relay.DigestOver)
	few := `FROM sweep_due x JOIN deadlines d ON d.id = x.id
		JOIN sweep_group g ON g.owner_place = d.owner_place AND g.level = d.level AND g.n <= ` + over + `
		JOIN places p ON p.code = d.owner_place
		JOIN users u ON u.place_code = d.owner_place AND u.disabled = 0 AND u.role = ` + roleOfLevelSQL("d.level")
	many := `FROM sweep_group g JOIN places p ON p.code = g.owner_place
		JOIN users u ON u.place_code = g.owner_place AND u.disabled = 0 AND u.role = ` + roleOfLevelSQL("g.level") + `
		WHERE g.n > ` + over
	manyDetail := `'{"count":' || g.n || ',"level":"' || g.level || '","owner":"' || g.owner_place || '"}'`
	if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link, clue_id, case_id)
		SELECT u.id, ?, ?, `+detail+`, `+link+`, d.clue_id, d.case_id `+few, ms(now), relay.NoticeEscalated); err != nil {
		return fmt.Errorf("sqlstore: escalation notifications: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO notifications (user_id, created_at, kind, detail, link, clue_id, case_id)
		SELECT u.id, ?, ?, `+manyDetail+`, ?, 0, 0 `+many, ms(now), relay.NoticeDigest, relay.WorkLink); err != nil {
		return fmt.Errorf("sqlstore: escalation notifications: %w", err)
	}
	one, oneArgs := textSQL(func(x ...string) string { return relay.EscalatedBody(x[0]) }, "p.name")
	digest, digestArgs := textSQL(func(x ...string) string { return relay.DigestBody(x[0], x[1]) }, "g.n", "p.name")
	for _, ch := range s.channels {
		args := append([]any{ch, relay.EscalatedSubject}, oneArgs...)
		if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at)
			SELECT ?, u.username, ?, `+one+`, `+link+`, ?, ? `+few, append(args, ms(now), ms(now))...); err != nil {
			return fmt.Errorf("sqlstore: escalation outbox: %w", err)
		}
		args = append([]any{ch, relay.EscalatedSubject}, digestArgs...)
		if _, err := t.exec(ctx, `INSERT INTO outbox (channel, recipient, subject, body, link, created_at, next_attempt_at)
			SELECT ?, u.username, ?, `+digest+`, ?, ?, ? `+many, append(args, relay.WorkLink, ms(now), ms(now))...); err != nil {
			return fmt.Errorf("sqlstore: escalation outbox: %w", err)
		}
	}
	return nil
}
