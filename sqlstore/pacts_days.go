package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/pacts"
)

// Notification kind and link of a missed day.
const (
	NoticePactMissed = "pact_missed"
	pactSubject      = "窗帘之约：今天还没有平安信号"
)

// pactClock is what a sign needs to know of a pact.
type pactClock struct {
	place       string
	deadlineMin int
	zone        string
	status      string
}

func (s *Store) pactClockOf(ctx context.Context, t *tx, id int64) (pactClock, error) {
	var c pactClock
	err := t.queryRow(ctx, `SELECT place_code, deadline_min, zone, status FROM pacts WHERE id = ?`, id).
		Scan(&c.place, &c.deadlineMin, &c.zone, &c.status)
	if errors.Is(err, sql.ErrNoRows) {
		return c, safetynet.NotFound("约定", "pact")
	}
	return c, err
}

// sign records a sign of life of a pact at a moment: the local day is kept
// (or, if it was missed already, late: the ladder stops).
func (s *Store) sign(ctx context.Context, t *tx, id int64, at time.Time, source string) (string, error) {
	c, err := s.pactClockOf(ctx, t, id)
	if err != nil {
		return "", err
	}
	if c.status != "active" {
		return "", safetynet.Conflict("pact", "该约定已结束", "the pact has ended")
	}
	loc, err := pacts.Location(c.zone)
	if err != nil {
		return "", err
	}
	day := pacts.DayOf(at, loc)
	due, _ := pacts.DueOn(day, c.deadlineMin, loc)
	_, err = t.exec(ctx, `INSERT INTO pact_days (pact_id, day, place_code, status, due_at, sign_at, sign_source) VALUES (?, ?, ?, 'kept', ?, ?, ?)
		ON CONFLICT (pact_id, day) DO UPDATE SET
			sign_source = CASE WHEN pact_days.sign_at = 0 THEN excluded.sign_source ELSE pact_days.sign_source END,
			sign_at = CASE WHEN pact_days.sign_at = 0 THEN excluded.sign_at ELSE pact_days.sign_at END,
			status = CASE WHEN pact_days.status = 'missed' THEN 'late' ELSE pact_days.status END`,
		id, day, c.place, ms(due), ms(at), source)
	if err != nil {
		return "", fmt.Errorf("sqlstore: pact sign: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE pacts SET last_day = ? WHERE id = ? AND last_day < ?`, day, id, day); err != nil {
		return "", fmt.Errorf("sqlstore: pact sign: %w", err)
	}
	return day, nil
}

// SignPact records the steward's "窗帘已开" (or any sign seen by someone
// who sees the pact) now.
func (s *Store) SignPact(ctx context.Context, a access.Actor, id int64) error {
	if err := pactsActable(a); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := s.pactIn(ctx, t, a, id, false); err != nil {
			return err
		}
		_, err := s.sign(ctx, t, id, s.now(), pacts.SourceRound)
		return err
	})
}

// PactSelf is all the person's own page shows.
type PactSelf struct {
	StewardName string
	SignedToday bool
}

// pactByToken finds the active pact of a token; a revoked or replaced
// token finds nothing.
func (s *Store) pactByToken(ctx context.Context, t *tx, token string) (int64, error) {
	if token == "" {
		return 0, safetynet.NotFound("链接", "link")
	}
	var id int64
	err := t.queryRow(ctx, `SELECT id FROM pacts WHERE token_hash = ? AND token_hash <> '' AND status = 'active'`, pacts.HashToken(token)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, safetynet.NotFound("链接", "link")
	}
	return id, err
}

// PactSelfView returns the steward's name for the person's own page.
func (s *Store) PactSelfView(ctx context.Context, token string) (PactSelf, error) {
	var v PactSelf
	err := s.read(ctx, func(t *tx) error {
		id, err := s.pactByToken(ctx, t, token)
		if err != nil {
			return err
		}
		c, err := s.pactClockOf(ctx, t, id)
		if err != nil {
			return err
		}
		loc, _ := pacts.Location(c.zone)
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM pact_days WHERE pact_id = ? AND day = ? AND sign_at > 0`, id,
			pacts.DayOf(s.now(), loc)).Scan(&n); err != nil {
			return err
		}
		v.SignedToday = n > 0
		return t.queryRow(ctx, `SELECT COALESCE(NULLIF(u.display_name, ''), u.username) FROM pacts p JOIN users u ON u.id = p.steward_id
			WHERE p.id = ?`, id).Scan(&v.StewardName)
	})
	return v, err
}

// PactSelfSign records the person's own "我很好".
func (s *Store) PactSelfSign(ctx context.Context, token string) error {
	return s.write(ctx, func(t *tx) error {
		id, err := s.pactByToken(ctx, t, token)
		if err != nil {
			return err
		}
		_, err = s.sign(ctx, t, id, s.now(), pacts.SourceSelf)
		return err
	})
}

// Device signal errors.
var (
	ErrSignalUnsigned = safetynet.Text(safetynet.EUnauthorized, "signature", "请求未签名", "the signal is not signed")
	ErrSignalRefused  = safetynet.Text(safetynet.EUnauthorized, "signature", "签名无效或已过期", "the signature is invalid or stale")
	ErrSignalReplayed = safetynet.Text(safetynet.EConflict, "signature", "重复的信号", "the signal was sent already")
)

// PactDeviceSignal records a device's signed signal: the timestamp must
// be within pacts.ReplayWindow of now and the signature new.
func (s *Store) PactDeviceSignal(ctx context.Context, device, ts, sig string, body []byte) error {
	return s.write(ctx, func(t *tx) error {
		var id int64
		var enc []byte
		err := t.queryRow(ctx, `SELECT pact_id, secret_enc FROM pact_devices WHERE device = ?`, device).Scan(&id, &enc)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrSignalRefused // an unknown device learns nothing more
		}
		if err != nil {
			return err
		}
		secret, err := s.unseal(enc, ctxDeviceSecret)
		if err != nil {
			return err
		}
		if secret == "" {
			return ErrSignalRefused // a device bound before its secret was sealed, not converted yet
		}
		now := s.now()
		at, err := pacts.VerifySignal([]byte(secret), ts, sig, body, now)
		if errors.Is(err, pacts.ErrUnsigned) {
			return ErrSignalUnsigned
		}
		if err != nil {
			return ErrSignalRefused
		}
		if _, err := t.exec(ctx, `DELETE FROM pact_signals WHERE device = ? AND at < ?`, device, ms(now.Add(-2*pacts.ReplayWindow))); err != nil {
			return err
		}
		r, err := t.exec(ctx, `INSERT INTO pact_signals (device, signature, at) VALUES (?, ?, ?) ON CONFLICT (device, signature) DO NOTHING`,
			device, sig, ms(now))
		if err != nil {
			return fmt.Errorf("sqlstore: pact signal: %w", err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return ErrSignalReplayed
		}
		if at.After(now) {
			at = now
		}
		_, err = s.sign(ctx, t, id, at, pacts.SourceDevice)
		return err
	})
}

// PactSweepResult says what a sweep did.
type PactSweepResult struct {
	Missed  int // days found missed now (steward alerted)
	Raised  int // days whose next step was alerted
	Skipped bool
}

// SweepPacts finds the days missed at their deadline and alerts the
// steward, and moves unanswered missed days one step up their ladder. It
// runs in one write transaction; on PostgreSQL an advisory lock lets one
// sweep run at a time and each day's step is alerted once (pact_alerts'
// key makes a second alert fail the transaction rather than send twice).
func (s *Store) SweepPacts(ctx context.Context) (PactSweepResult, error) {
	var res PactSweepResult
	now := s.now()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	token := fmt.Sprintf("p%d-%s", now.UnixMilli(), hex.EncodeToString(b))
	err := s.write(ctx, func(t *tx) error {
		res = PactSweepResult{}
		if s.d.name == "postgres" {
			var got bool
			if err := t.queryRow(ctx, `SELECT pg_try_advisory_xact_lock(7215060110)`).Scan(&got); err != nil {
				return fmt.Errorf("sqlstore: pact sweep lock: %w", err)
			}
			if !got {
				res.Skipped = true
				return nil
			}
		}
		// Each clock (zone and deadline) of the active pacts: the latest
		// day whose deadline has passed.
		type clock struct {
			zone string
			min  int
		}
		var clocks []clock
		rows, err := t.query(ctx, `SELECT DISTINCT zone, deadline_min FROM pacts WHERE status = 'active'`)
		if err != nil {
			return fmt.Errorf("sqlstore: pact clocks: %w", err)
		}
		for rows.Next() {
			var c clock
			if err := rows.Scan(&c.zone, &c.min); err != nil {
				rows.Close()
				return err
			}
			clocks = append(clocks, c)
		}
		rows.Close()
		for _, c := range clocks {
			loc, err := pacts.Location(c.zone)
			if err != nil {
				continue
			}
			day, due := pacts.Current(now, c.min, loc)
			// A pact whose day has a row (a sign) has last_day at least that
			// day (sign sets both in one transaction), so the candidates need
			// no anti-join with the growing pact_days; ON CONFLICT keeps the
			// sweep going should a row be there all the same.
			r, err := t.exec(ctx, `INSERT INTO pact_days (pact_id, day, place_code, status, due_at, rung, next_at, sweep)
				SELECT p.id, ?, p.place_code, 'missed', ?, 0, CAST(? AS BIGINT) + p.wait_min * 60000, ? FROM pacts p
				WHERE p.status = 'active' AND p.zone = ? AND p.deadline_min = ? AND p.last_day < ? AND p.created_at <= ?
				AND NOT EXISTS (SELECT 1 FROM pact_away w WHERE w.pact_id = p.id AND w.from_day <= ? AND w.to_day >= ?)
				ON CONFLICT (pact_id, day) DO NOTHING`,
				day, ms(due), ms(due), token, c.zone, c.min, day, ms(due), day, day)
			if err != nil {
				return fmt.Errorf("sqlstore: pact sweep: %w", err)
			}
			n, _ := r.RowsAffected()
			res.Missed += int(n)
			if n > 0 {
				if _, err := t.exec(ctx, `UPDATE pacts SET last_day = ? WHERE id IN (SELECT pact_id FROM pact_days WHERE sweep = ? AND sweep <> '' AND day = ?)
					AND last_day < ?`, day, token, day, day); err != nil {
					return fmt.Errorf("sqlstore: pact sweep: %w", err)
				}
			}
		}
		// Each unanswered missed day whose next step is due goes one step
		// up (UPDATE … FROM: one join, no subquery per day). The terms
		// "status = 'missed'" and "sweep <> ''" repeat the partial indexes'
		// conditions word for word: SQLite uses such an index only then.
		r, err := t.exec(ctx, `UPDATE pact_days SET rung = pact_days.rung + 1, sweep = ?, next_at = pact_days.next_at + p.wait_min * 60000
			FROM pacts p WHERE p.id = pact_days.pact_id AND pact_days.status = 'missed' AND pact_days.ack_at = 0
			AND pact_days.next_at <= ? AND pact_days.next_at > 0 AND pact_days.sweep <> ? AND pact_days.rung + 1 < p.rungs`,
			token, ms(now), token)
		if err != nil {
			return fmt.Errorf("sqlstore: pact ladder: %w", err)
		}
		n, _ := r.RowsAffected()
		res.Raised = int(n)
		if res.Missed+res.Raised == 0 {
			return nil
		}
		return s.alertPacts(ctx, t, token, now)
	})
	return res, err
}

// alertPacts writes the alerts of the days a sweep touched: a row of
// pact_alerts each (set-based), then reads once who is alerted for each
// day and writes their inbox notifications and outbox messages in bulk
// (multi-row INSERTs on SQLite, COPY on PostgreSQL).
func (s *Store) alertPacts(ctx context.Context, t *tx, token string, now time.Time) error {
	if _, err := t.exec(ctx, `INSERT INTO pact_alerts (pact_day_id, rung, at) SELECT id, rung, ? FROM pact_days WHERE sweep = ? AND sweep <> ''`,
		ms(now), token); err != nil {
		return fmt.Errorf("sqlstore: pact alerts: %w", err)
	}
	role := "CASE r.kind"
	for k, v := range rungRoles {
		role += fmt.Sprintf(" WHEN '%s' THEN '%s'", k, v)
	}
	role += " END"
	// The recipients: the steward by id, a backup step's users by place
	// and role (two joins an index answers, not one join with an OR that
	// would compare every day with every user).
	const cols = `SELECT d.id, d.day, r.kind, pe.name, u.id, u.username FROM pact_days d JOIN pacts p ON p.id = d.pact_id
		JOIN persons pe ON pe.id = p.person_id JOIN pact_rungs r ON r.pact_id = d.pact_id AND r.rung = d.rung `
	rows, err := t.query(ctx, cols+`JOIN users u ON u.id = p.steward_id AND u.disabled = 0
		WHERE d.sweep = ? AND d.sweep <> '' AND r.kind = 'steward'
		UNION ALL `+cols+`JOIN users u ON u.place_code = r.owner_place AND u.role = `+role+` AND u.disabled = 0
		WHERE d.sweep = ? AND d.sweep <> '' AND r.kind <> 'steward'`, token, token)
	if err != nil {
		return fmt.Errorf("sqlstore: pact recipients: %w", err)
	}
	at := ms(now)
	var notes, out [][]any
	for rows.Next() {
		var dayID, userID int64
		var day, kind, person, username string
		if err := rows.Scan(&dayID, &day, &kind, &person, &userID, &username); err != nil {
			rows.Close()
			return err
		}
		detail, _ := json.Marshal(map[string]string{"person": person, "step": kind, "day": day})
		link := "/pacts/days/" + strconv.FormatInt(dayID, 10)
		notes = append(notes, []any{userID, at, NoticePactMissed, string(detail), link, 0, 0})
		body := person + "（" + day + "）到截止时间还没有平安信号（窗帘之约），请马上去看看，并在系统中点“我去看看”。"
		for _, ch := range s.channels {
			out = append(out, []any{ch, username, pactSubject, body, link, at, at})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: pact recipients: %w", err)
	}
	if err := t.insertRows(ctx, "notifications", []string{"user_id", "created_at", "kind", "detail", "link", "clue_id", "case_id"}, notes); err != nil {
		return fmt.Errorf("sqlstore: pact notifications: %w", err)
	}
	if err := t.insertRows(ctx, "outbox", []string{"channel", "recipient", "subject", "body", "link", "created_at", "next_attempt_at"}, out); err != nil {
		return fmt.Errorf("sqlstore: pact outbox: %w", err)
	}
	return nil
}

// PactDay is a day of a pact as the alert page shows it.
type PactDay struct {
	ID          int64
	PactID      int64
	PersonID    int64
	HouseholdID int64
	PersonName  string
	PlaceName   string
	StewardName string
	Day         string
	Status      string
	Due         time.Time
	SignAt      time.Time
	SignSource  string
	Rung        int
	RungKind    string
	AckBy       string
	AckAt       time.Time
	Finding     string
	FindingNote string
	FindingAt   time.Time
}

const pactDayColumns = `d.id, d.pact_id, p.person_id, pe.household_id, pe.name, pl.name, COALESCE(NULLIF(su.display_name, ''), su.username),
	d.day, d.status, d.due_at, d.sign_at, d.sign_source, d.rung, COALESCE(r.kind, ''),
	COALESCE(NULLIF(au.display_name, ''), au.username, ''), d.ack_at, d.finding, d.finding_note, d.finding_at`

const pactDayJoins = ` FROM pact_days d JOIN pacts p ON p.id = d.pact_id JOIN persons pe ON pe.id = p.person_id
	JOIN places pl ON pl.code = p.place_code JOIN users su ON su.id = p.steward_id
	LEFT JOIN pact_rungs r ON r.pact_id = d.pact_id AND r.rung = d.rung LEFT JOIN users au ON au.id = d.ack_by`

func scanPactDay(row interface{ Scan(...any) error }) (PactDay, error) {
	var d PactDay
	var due, sign, ack, found int64
	err := row.Scan(&d.ID, &d.PactID, &d.PersonID, &d.HouseholdID, &d.PersonName, &d.PlaceName, &d.StewardName, &d.Day, &d.Status,
		&due, &sign, &d.SignSource, &d.Rung, &d.RungKind, &d.AckBy, &ack, &d.Finding, &d.FindingNote, &found)
	d.Due = fromMS(due)
	if sign > 0 {
		d.SignAt = fromMS(sign)
	}
	if ack > 0 {
		d.AckAt = fromMS(ack)
	}
	if found > 0 {
		d.FindingAt = fromMS(found)
	}
	return d, err
}

// PactDayView returns a day of a pact the actor sees.
func (s *Store) PactDayView(ctx context.Context, a access.Actor, id int64) (PactDay, error) {
	if err := pactsVisible(a); err != nil {
		return PactDay{}, err
	}
	c, args := pactScope(a, "p")
	d, err := scanPactDay(s.queryRow(ctx, `SELECT `+pactDayColumns+pactDayJoins+` WHERE d.id = ? AND `+c, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, safetynet.NotFound("记录", "pact day")
	}
	return d, err
}

// PactAlerts lists the missed days without a finding that the actor sees,
// newest first.
func (s *Store) PactAlerts(ctx context.Context, a access.Actor) ([]PactDay, error) {
	if err := pactsVisible(a); err != nil {
		return nil, err
	}
	c, args := pactScope(a, "p")
	var out []PactDay
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+pactDayColumns+pactDayJoins+` WHERE d.status = 'missed' AND `+c+
			` ORDER BY d.due_at DESC, d.id LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: pact alerts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanPactDay(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// AcknowledgePactDay records "我去看看": the ladder stops; a second
// acknowledgement is a conflict naming the first.
func (s *Store) AcknowledgePactDay(ctx context.Context, a access.Actor, id int64) error {
	if err := pactsActable(a); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		d, err := s.pactDayIn(ctx, t, a, id)
		if err != nil {
			return err
		}
		if d.AckBy != "" {
			return safetynet.Conflict("day", "%s 已经去看了", "%s is going already", d.AckBy)
		}
		if d.Status != "missed" {
			return safetynet.Conflict("day", "这一天已有平安信号或已处理", "this day has a sign or a finding already")
		}
		r, err := t.exec(ctx, `UPDATE pact_days SET ack_by = ?, ack_at = ? WHERE id = ? AND status = 'missed' AND ack_at = 0`,
			a.UserID, ms(s.now()), id)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return safetynet.Conflict("day", "已有人去看了", "someone is going already")
		}
		return nil
	})
}

func (s *Store) pactDayIn(ctx context.Context, t *tx, a access.Actor, id int64) (PactDay, error) {
	c, args := pactScope(a, "p")
	d, err := scanPactDay(t.queryRow(ctx, `SELECT `+pactDayColumns+pactDayJoins+` WHERE d.id = ? AND `+c, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return d, safetynet.NotFound("记录", "pact day")
	}
	return d, err
}

// RecordPactFinding records what the person who went found; it closes
// the day. "help" is followed by a relay clue (the page opens the clue
// form prefilled for the household).
func (s *Store) RecordPactFinding(ctx context.Context, a access.Actor, id int64, f pacts.Finding, note string) error {
	if err := pactsActable(a); err != nil {
		return err
	}
	if !f.Valid() {
		return safetynet.Invalid("finding", "请选择看到的情况", "choose what you found")
	}
	if len([]rune(note)) > 500 {
		return safetynet.Invalid("note", "备注最多 500 字", "the note has at most 500 characters")
	}
	return s.write(ctx, func(t *tx) error {
		d, err := s.pactDayIn(ctx, t, a, id)
		if err != nil {
			return err
		}
		if d.Finding != "" || (d.Status != "missed" && d.Status != "late") {
			return safetynet.Conflict("day", "这一天已有记录", "this day has a finding already")
		}
		now := ms(s.now())
		_, err = t.exec(ctx, `UPDATE pact_days SET status = 'resolved', finding = ?, finding_note = ?, finding_by = ?, finding_at = ?,
			ack_by = CASE WHEN ack_by = 0 THEN ? ELSE ack_by END, ack_at = CASE WHEN ack_at = 0 THEN ? ELSE ack_at END WHERE id = ?`,
			string(f), note, a.UserID, now, a.UserID, now, id)
		return err
	})
}

// PactRoundItem is a pact on the steward's morning round.
type PactRoundItem struct {
	PactID     int64
	DayID      int64 // 0 until a sign or an alert
	PersonName string
	PlaceName  string
	Day        string
	Due        time.Time
	State      string // waiting, kept, missed, late, resolved, paused
	SignAt     time.Time
}

// PactRound lists the pacts the actor keeps as steward with their state on
// the local day of day.
func (s *Store) PactRound(ctx context.Context, a access.Actor, day time.Time) ([]PactRoundItem, error) {
	var out []PactRoundItem
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.id, pe.name, pl.name, p.deadline_min, p.zone FROM pacts p JOIN persons pe ON pe.id = p.person_id
			JOIN places pl ON pl.code = p.place_code WHERE p.steward_id = ? AND p.status = 'active' ORDER BY p.deadline_min, pe.name, p.id`, a.UserID)
		if err != nil {
			return fmt.Errorf("sqlstore: pact round: %w", err)
		}
		type row struct {
			PactRoundItem
			min  int
			zone string
		}
		var list []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.PactID, &r.PersonName, &r.PlaceName, &r.min, &r.zone); err != nil {
				rows.Close()
				return err
			}
			list = append(list, r)
		}
		rows.Close()
		for _, r := range list {
			loc, err := pacts.Location(r.zone)
			if err != nil {
				return err
			}
			it := r.PactRoundItem
			it.Day = pacts.DayOf(day, loc)
			it.Due, _ = pacts.DueOn(it.Day, r.min, loc)
			it.State = "waiting"
			var sign int64
			err = t.queryRow(ctx, `SELECT id, status, sign_at FROM pact_days WHERE pact_id = ? AND day = ?`, r.PactID, it.Day).
				Scan(&it.DayID, &it.State, &sign)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if sign > 0 {
				it.SignAt = fromMS(sign)
			}
			if it.DayID == 0 {
				var n int
				if err := t.queryRow(ctx, `SELECT COUNT(*) FROM pact_away WHERE pact_id = ? AND from_day <= ? AND to_day >= ?`,
					r.PactID, it.Day, it.Day).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					it.State = "paused"
				}
			}
			out = append(out, it)
		}
		return nil
	})
	return out, err
}

// PactFigure is a place's figures of a period with the previous period.
type PactFigure struct {
	PlaceCode, PlaceName string
	Now, Before          PactCounts
}

// PactCounts are the days of a period. The first alert of a missed day
// goes out at its deadline, so response times count from the deadline.
type PactCounts struct {
	Kept     int // days with a sign by the deadline
	Missed   int // days without (whatever came after)
	Late     int // missed days whose sign came after the alert, nobody went
	Answered int // missed days someone acknowledged ("我去看看")
	Found    int // missed days with a finding recorded
	// Average minutes from the alert to "我去看看" (over the answered days)
	// and to the finding (over the days with one).
	AvgResponseMin, AvgFindingMin float64
}

// PactFigures counts the days of the pacts under place per child place,
// for the local days [from, to] and the period of the same length before.
func (s *Store) PactFigures(ctx context.Context, a access.Actor, place, from, to string) ([]PactFigure, error) {
	if err := a.Require(access.FiguresView); err != nil {
		return nil, err
	}
	f, err1 := pacts.ParseDay(from)
	e, err2 := pacts.ParseDay(to)
	if err1 != nil || err2 != nil || e.Before(f) {
		return nil, safetynet.Invalid("from", "期间无效", "invalid period")
	}
	n := int(e.Sub(f).Hours()/24) + 1
	prevFrom, prevTo := pacts.AddDays(from, -n), pacts.AddDays(from, -1)
	c, args := scopeCheck(a.Scope(access.Places), "code")
	var ok int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM places WHERE code = ? AND `+c, append([]any{place}, args...)...).Scan(&ok); err != nil {
		return nil, err
	}
	if ok == 0 {
		return nil, safetynet.NotFound("地区", "place")
	}
	byPlace := map[string]*PactFigure{}
	var order []string
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT code, name FROM places WHERE parent_code = ? ORDER BY code`, place)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f PactFigure
			if err := rows.Scan(&f.PlaceCode, &f.PlaceName); err != nil {
				rows.Close()
				return err
			}
			byPlace[f.PlaceCode] = &f
			order = append(order, f.PlaceCode)
		}
		rows.Close()
		for _, period := range []struct {
			from, to string
			now      bool
		}{{from, to, true}, {prevFrom, prevTo, false}} {
			rows, err := t.query(ctx, `SELECT c.code,
				SUM(CASE WHEN d.status = 'kept' THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.status <> 'kept' THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.status <> 'kept' AND d.ack_at > 0 THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.status <> 'kept' AND d.ack_at > 0 THEN d.ack_at - d.due_at ELSE 0 END),
				SUM(CASE WHEN d.status = 'late' THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.finding <> '' THEN 1 ELSE 0 END),
				SUM(CASE WHEN d.finding <> '' THEN d.finding_at - d.due_at ELSE 0 END)
				FROM pact_days d JOIN place_tree pt ON pt.descendant = d.place_code JOIN places c ON c.code = pt.ancestor AND c.parent_code = ?
				WHERE d.day >= ? AND d.day <= ? GROUP BY c.code`, place, period.from, period.to)
			if err != nil {
				return fmt.Errorf("sqlstore: pact figures: %w", err)
			}
			for rows.Next() {
				var code string
				var k PactCounts
				var sum, found int64
				if err := rows.Scan(&code, &k.Kept, &k.Missed, &k.Answered, &sum, &k.Late, &k.Found, &found); err != nil {
					rows.Close()
					return err
				}
				if k.Answered > 0 {
					k.AvgResponseMin = float64(sum) / float64(k.Answered) / 60000
				}
				if k.Found > 0 {
					k.AvgFindingMin = float64(found) / float64(k.Found) / 60000
				}
				if f := byPlace[code]; f != nil {
					if period.now {
						f.Now = k
					} else {
						f.Before = k
					}
				}
			}
			rows.Close()
		}
		return nil
	})
	out := make([]PactFigure, 0, len(order))
	for _, code := range order {
		out = append(out, *byPlace[code])
	}
	return out, err
}
