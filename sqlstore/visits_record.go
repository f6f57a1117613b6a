package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/rules"
	"safetynet/visits"
)

// VisitRecord is a visit made.
type VisitRecord struct {
	ID          int64     `json:"id"`
	ClientID    string    `json:"client_id"`
	HouseholdID int64     `json:"household_id"`
	DueID       int64     `json:"due_id"`
	Kind        string    `json:"kind"`
	Result      string    `json:"result"`
	Note        string    `json:"note"`
	Checklist   []string  `json:"checklist"`
	MadeAt      time.Time `json:"made_at"`
	Visitor     string    `json:"visitor"` // display name
	Closed      int       `json:"closed"`  // due visits it answered
	CampaignID  int64     `json:"campaign_id"`
}

// visitHousehold finds the household a visit is about, if the actor may
// visit it (visits.DayScope): a grid worker's place, or a pair with the
// actor. It returns the household's place, the actor's pair level with
// it (” when none) and the name the actor is shown by.
func (s *Store) visitHousehold(ctx context.Context, t *tx, a access.Actor, householdID int64) (place, level, visitor string, err error) {
	scope := visits.DayScope(a)
	if scope == visits.DayNone {
		return "", "", "", safetynet.Forbidden()
	}
	var inPlace int
	err = t.queryRow(ctx, `SELECT h.place_code, COALESCE((SELECT MIN(vp.level) FROM visit_pairs vp WHERE vp.household_id = h.id AND vp.user_id = ?), ''),
		CASE WHEN EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = ? AND pt.descendant = h.place_code) THEN 1 ELSE 0 END,
		COALESCE((SELECT u.display_name FROM users u WHERE u.id = ?), '')
		FROM households h WHERE h.id = ? AND h.status = 'active'`, a.UserID, a.Place, a.UserID, householdID).Scan(&place, &level, &inPlace, &visitor)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && level == "" && (scope != visits.DayPlace || inPlace == 0)) {
		return "", "", "", safetynet.Invalid("household_id", "家庭不存在或不由您走访", "the household does not exist or is not yours to visit")
	}
	if err != nil {
		return "", "", "", fmt.Errorf("sqlstore: visit household: %w", err)
	}
	if visitor == "" {
		visitor = a.Username
	}
	return place, level, visitor, nil
}

// RecordVisit records a visit to a household the actor visits. Sending
// the same client ID again returns the visit already recorded (created
// false). The visit answers every open due visit of the household whose
// need it meets (a home visit meets all, a call or seeing them in
// passing the daily "visit or call"), closes their steps and moves the
// household's last visit date on. "Not fine" records the visit; the
// caller opens the clue form for the household.
//
// The record returned is the one written, built in the write (it equals
// what HouseholdVisits reads back), not read again. On SQLite a visit is
// four statements in the writer's group commit (the insert with the
// household check, closing the due visits met, the last visit dates, the
// timeline event) and a fifth closing the due visits' steps when any;
// on PostgreSQL one statement (recordVisitOne), since every statement
// is a round trip to the server.
func (s *Store) RecordVisit(ctx context.Context, a access.Actor, in visits.NewVisit) (VisitRecord, bool, error) {
	if visits.DayScope(a) == visits.DayNone {
		return VisitRecord{}, false, safetynet.Forbidden()
	}
	now := s.now()
	in, err := visits.CheckVisit(in, now)
	if err != nil {
		return VisitRecord{}, false, fieldErr(err)
	}
	var rec VisitRecord
	created := false
	err = s.write(ctx, func(t *tx) error {
		created = false
		// resent returns the visit already recorded under the client ID.
		resent := func() (bool, error) {
			r, owner, err := visitRecordByClient(ctx, t, in.ClientID)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return false, nil
			case err != nil:
				return false, err
			case owner != a.UserID:
				return false, safetynet.Conflict("client_id", "记录编号已被使用", "this client_id belongs to another visit")
			}
			rec = r
			return true, nil
		}
		if in.DueID != 0 {
			var hid int64
			err := t.queryRow(ctx, `SELECT household_id FROM visit_due WHERE id = ?`, in.DueID).Scan(&hid)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && in.HouseholdID != 0 && hid != in.HouseholdID) {
				if found, rerr := resent(); found || rerr != nil {
					return rerr
				}
				return safetynet.Invalid("due_id", "没有这项待走访任务", "no such due visit for this household")
			}
			if err != nil {
				return fmt.Errorf("sqlstore: due visit: %w", err)
			}
			in.HouseholdID = hid
		}
		if err := s.checkHouseholdCampaignTag(ctx, t, in.CampaignID, in.HouseholdID); err != nil {
			return err
		}
		if s.d.name == "postgres" {
			// One statement, one round trip (the server is across a network).
			r, ok, err := s.recordVisitOne(ctx, t, a, in, now)
			switch {
			case err != nil:
				return err
			case ok:
				rec, created = r, true
				return s.tagRecord(ctx, t, "visit_records", rec.ID, in.CampaignID, &rec.CampaignID)
			}
			if found, err := resent(); found || err != nil {
				return err
			}
			if r.ID == 0 {
				return safetynet.Invalid("household_id", "家庭不存在或不由您走访", "the household does not exist or is not yours to visit")
			}
			return fmt.Errorf("sqlstore: insert visit %q: conflict but no visit", in.ClientID)
		}
		var photo any
		if len(in.Photo) > 0 {
			photo = in.Photo
		}
		made := visits.LocalDate(in.MadeAt, visitZone).Format(visits.DateLayout)
		check := strings.Join(in.Checklist, ",")
		// The household check of visitHousehold and the insert in one
		// statement: nothing comes back when the actor may not visit the
		// household or the client ID is taken (a resend, maybe of a visit
		// to a household no longer the actor's: it answers all the same).
		var place, visitor string
		err = t.queryRow(ctx, `INSERT INTO visit_records (client_id, household_id, place_code, due_id, kind, result, note, photo, checklist,
				made_at, made_date, visitor_id, visitor_name, visitor_level, created_at)
			SELECT ?, h.id, h.place_code, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, x.level, ?
			FROM households h, (SELECT COALESCE((SELECT MIN(vp.level) FROM visit_pairs vp WHERE vp.household_id = ? AND vp.user_id = ?), '') AS level) x
			WHERE h.id = ? AND h.status = 'active'
				AND (x.level <> '' OR (? = 1 AND EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = ? AND pt.descendant = h.place_code)))
			ON CONFLICT (client_id) DO NOTHING
			RETURNING id, place_code, COALESCE((SELECT u.display_name FROM users u WHERE u.id = ?), '')`,
			in.ClientID, in.DueID, in.Kind, in.Result, in.Note, photo, check, ms(in.MadeAt), made, a.UserID, a.Username, ms(now),
			in.HouseholdID, a.UserID, in.HouseholdID, boolInt(visits.DayScope(a) == visits.DayPlace), a.Place, a.UserID).Scan(&rec.ID, &place, &visitor)
		if errors.Is(err, sql.ErrNoRows) {
			if found, err := resent(); found || err != nil {
				return err
			}
			return safetynet.Invalid("household_id", "家庭不存在或不由您走访", "the household does not exist or is not yours to visit")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: insert visit: %w", err)
		}
		if visitor == "" {
			visitor = a.Username
		}
		created = true
		needs := []any{visits.NeedAny}
		if visits.Satisfies(in.Kind, visits.NeedHome) {
			needs = append(needs, visits.NeedHome)
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(needs)), ", ")
		rows, err := t.query(ctx, `UPDATE visit_due SET status = 'done', done_at = ?, visit_id = ?
			WHERE household_id = ? AND status = 'open' AND need IN (`+marks+`) RETURNING id`, append([]any{ms(in.MadeAt), rec.ID, in.HouseholdID}, needs...)...)
		if err != nil {
			return fmt.Errorf("sqlstore: close due visits: %w", err)
		}
		var closed []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: close due visits: %w", err)
			}
			closed = append(closed, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: close due visits: %w", err)
		}
		if len(closed) > 0 {
			marks := strings.TrimSuffix(strings.Repeat("?, ", len(closed)), ", ")
			if _, err := t.exec(ctx, `UPDATE deadlines SET status = 'done', done_at = ? WHERE item_id IN (`+marks+`) AND kind = ? AND status = 'open'`,
				append(append([]any{ms(now)}, closed...), StepVisit)...); err != nil {
				return fmt.Errorf("sqlstore: close visit steps: %w", err)
			}
		}
		// The last visit date of each need met, in one statement.
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(needs)), ", ")
		var last []any
		for _, need := range needs {
			last = append(last, in.HouseholdID, need, made)
		}
		if _, err := t.exec(ctx, `INSERT INTO visit_last (household_id, need, last_date) VALUES `+values+`
			ON CONFLICT (household_id, need) DO UPDATE SET last_date = excluded.last_date WHERE excluded.last_date > visit_last.last_date`,
			last...); err != nil {
			return fmt.Errorf("sqlstore: last visit: %w", err)
		}
		rec = VisitRecord{ID: rec.ID, ClientID: in.ClientID, HouseholdID: in.HouseholdID, DueID: in.DueID, Kind: in.Kind, Result: in.Result,
			Note: in.Note, Checklist: splitChecklist(check), MadeAt: fromMS(ms(in.MadeAt)), Visitor: visitor, Closed: len(closed)}
		if err := s.tagRecord(ctx, t, "visit_records", rec.ID, in.CampaignID, &rec.CampaignID); err != nil {
			return err
		}
		return s.event(ctx, t, a, in.HouseholdID, 0, place, "visit", map[string]any{"kind": in.Kind, "result": in.Result, "visit": rec.ID})
	})
	if err != nil {
		return VisitRecord{}, false, err
	}
	return rec, created, nil
}

// recordVisitOne records a visit on PostgreSQL in one statement whose
// parts are those of RecordVisit's on SQLite: the household check of
// visitHousehold, the insert, closing the due visits met and their
// steps, the last visit dates and the timeline event. ok is false when
// nothing was written: r.ID is 0 when the actor may not visit the
// household, -1 when the client ID is taken.
func (s *Store) recordVisitOne(ctx context.Context, t *tx, a access.Actor, in visits.NewVisit, now time.Time) (r VisitRecord, ok bool, err error) {
	needs := []any{visits.NeedAny}
	if visits.Satisfies(in.Kind, visits.NeedHome) {
		needs = append(needs, visits.NeedHome)
	}
	marks := strings.TrimSuffix(strings.Repeat("CAST(? AS TEXT), ", len(needs)), ", ")
	values := strings.TrimSuffix(strings.Repeat("(CAST(? AS TEXT)), ", len(needs)), ", ")
	// The event's detail as s.event writes it: json.Marshal of the map,
	// whose keys come sorted, "visit" last.
	b, err := json.Marshal(map[string]any{"kind": in.Kind, "result": in.Result})
	if err != nil {
		return r, false, err
	}
	detail := string(b[:len(b)-1]) + `,"visit":`
	var photo any
	if len(in.Photo) > 0 {
		photo = in.Photo
	}
	made := visits.LocalDate(in.MadeAt, visitZone).Format(visits.DateLayout)
	check := strings.Join(in.Checklist, ",")
	args := []any{a.UserID, a.UserID, in.HouseholdID, visits.DayScope(a) == visits.DayPlace, a.Place,
		in.ClientID, in.DueID, in.Kind, in.Result, in.Note, photo, check, ms(in.MadeAt), made, a.UserID, a.Username, ms(now),
		ms(in.MadeAt), in.HouseholdID}
	args = append(args, needs...)
	args = append(args, ms(now), StepVisit, in.HouseholdID, made)
	args = append(args, needs...)
	args = append(args, ms(now), in.HouseholdID, detail, a.UserID, a.Username)
	var allowed int
	var visitor string
	var closed int
	err = t.queryRow(ctx, `WITH hh AS (SELECT h.id, h.place_code,
			COALESCE((SELECT MIN(vp.level) FROM visit_pairs vp WHERE vp.household_id = h.id AND vp.user_id = CAST(? AS BIGINT)), '') AS level,
			COALESCE((SELECT u.display_name FROM users u WHERE u.id = CAST(? AS BIGINT)), '') AS visitor
			FROM households h WHERE h.id = CAST(? AS BIGINT) AND h.status = 'active'),
		may AS (SELECT * FROM hh WHERE hh.level <> '' OR (CAST(? AS BOOLEAN)
			AND EXISTS (SELECT 1 FROM place_tree pt WHERE pt.ancestor = CAST(? AS TEXT) AND pt.descendant = hh.place_code))),
		v AS (INSERT INTO visit_records (client_id, household_id, place_code, due_id, kind, result, note, photo, checklist,
				made_at, made_date, visitor_id, visitor_name, visitor_level, created_at)
			SELECT CAST(? AS TEXT), may.id, may.place_code, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BYTEA),
				CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), may.level, CAST(? AS BIGINT) FROM may
			ON CONFLICT (client_id) DO NOTHING RETURNING id, place_code),
		d AS (UPDATE visit_due SET status = 'done', done_at = CAST(? AS BIGINT), visit_id = v.id FROM v
			WHERE visit_due.household_id = CAST(? AS BIGINT) AND visit_due.status = 'open' AND visit_due.need IN (`+marks+`) RETURNING visit_due.id),
		st AS (UPDATE deadlines SET status = 'done', done_at = CAST(? AS BIGINT)
			WHERE item_id IN (SELECT id FROM d) AND kind = CAST(? AS TEXT) AND status = 'open'),
		l AS (INSERT INTO visit_last (household_id, need, last_date) SELECT CAST(? AS BIGINT), x.need, CAST(? AS TEXT) FROM v, (VALUES `+values+`) x (need)
			ON CONFLICT (household_id, need) DO UPDATE SET last_date = excluded.last_date WHERE excluded.last_date > visit_last.last_date),
		e AS (INSERT INTO events (at, household_id, person_id, place_code, kind, detail, user_id, username)
			SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 0, v.place_code, 'visit', CAST(? AS TEXT) || CAST(v.id AS TEXT) || '}', CAST(? AS BIGINT), CAST(? AS TEXT) FROM v)
		SELECT (SELECT COUNT(*) FROM may), COALESCE((SELECT visitor FROM may), ''), COALESCE((SELECT id FROM v), -1), (SELECT COUNT(*) FROM d)`,
		args...).Scan(&allowed, &visitor, &r.ID, &closed)
	if err != nil {
		return r, false, fmt.Errorf("sqlstore: record visit: %w", err)
	}
	if allowed == 0 {
		return VisitRecord{}, false, nil
	}
	if r.ID < 0 {
		return r, false, nil
	}
	if rules.AffectsScreening("visit") {
		if err := s.enqueue(ctx, t, in.HouseholdID); err != nil {
			return r, false, err
		}
	}
	if visitor == "" {
		visitor = a.Username
	}
	return VisitRecord{ID: r.ID, ClientID: in.ClientID, HouseholdID: in.HouseholdID, DueID: in.DueID, Kind: in.Kind, Result: in.Result,
		Note: in.Note, Checklist: splitChecklist(check), MadeAt: fromMS(ms(in.MadeAt)), Visitor: visitor, Closed: closed}, true, nil
}

// splitChecklist is the stored checklist as a list (empty, not nil).
func splitChecklist(check string) []string {
	if check == "" {
		return []string{}
	}
	return strings.Split(check, ",")
}

// visitCols are the columns of a VisitRecord read back (scanVisit), from
// visit_records v left-joined to users u; the count of the due visits
// it answered uses the partial index visit_due_visit (whose condition
// the query repeats, for the planners to see it holds).
const visitCols = `v.id, v.client_id, v.household_id, v.due_id, v.kind, v.result, v.note, v.checklist, v.made_at,
	COALESCE(NULLIF(u.display_name, ''), v.visitor_name), (SELECT COUNT(*) FROM visit_due d WHERE d.visit_id = v.id AND d.visit_id <> 0), v.visitor_id`

func scanVisit(sc interface{ Scan(...any) error }) (VisitRecord, int64, error) {
	var r VisitRecord
	var check string
	var at, owner int64
	if err := sc.Scan(&r.ID, &r.ClientID, &r.HouseholdID, &r.DueID, &r.Kind, &r.Result, &r.Note, &check, &at, &r.Visitor, &r.Closed, &owner); err != nil {
		return VisitRecord{}, 0, err
	}
	r.MadeAt, r.Checklist = fromMS(at), splitChecklist(check)
	return r, owner, nil
}

// visitRecordByClient reads the visit recorded under a client ID and
// its visitor's user ID (sql.ErrNoRows when none).
func visitRecordByClient(ctx context.Context, t *tx, clientID string) (VisitRecord, int64, error) {
	r, owner, err := scanVisit(t.queryRow(ctx, `SELECT `+visitCols+` FROM visit_records v LEFT JOIN users u ON u.id = v.visitor_id
		WHERE v.client_id = ?`, clientID))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		err = fmt.Errorf("sqlstore: visit lookup: %w", err)
	}
	return r, owner, err
}

// HouseholdVisits lists the latest visits to a household the actor
// visits (at most limit, newest first).
func (s *Store) HouseholdVisits(ctx context.Context, a access.Actor, householdID int64, limit int) ([]VisitRecord, error) {
	out := []VisitRecord{}
	err := s.read(ctx, func(t *tx) error {
		if _, _, _, err := s.visitHousehold(ctx, t, a, householdID); err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+visitCols+` FROM visit_records v LEFT JOIN users u ON u.id = v.visitor_id
			WHERE v.household_id = ? ORDER BY v.made_at DESC, v.id DESC LIMIT ?`, householdID, limit)
		if err != nil {
			return fmt.Errorf("sqlstore: household visits: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, _, err := scanVisit(rows)
			if err != nil {
				return fmt.Errorf("sqlstore: household visits: %w", err)
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
