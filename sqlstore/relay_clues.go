package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/relay"
	"safetynet/rules"
)

// Clue is a reported hardship (急难线索) and where it stands.
type Clue struct {
	ID             int64
	ClientID       string
	Source         string
	ReporterID     int64
	ReporterName   string
	HouseholdID    int64
	PersonID       int64
	SubjectName    string
	PlaceCode      string
	PlaceName      string
	VillageCode    string
	Kinds          []string
	Urgency        string
	Note           string
	HasPhoto       bool
	ReportedAt     time.Time
	ReceivedAt     time.Time
	Status         string
	AcknowledgedAt time.Time
	AcknowledgedBy string
	VerifiedAt     time.Time
	VerifiedBy     string
	ClosedAt       time.Time
	CaseID         int64
	Version        int
	// Due is the open step of the clue, if any.
	Due *Step
}

// Step is an open step with its owner and deadline.
type Step struct {
	ID          int64
	Kind        string
	Level       safetynet.Level
	OwnerPlace  string
	OwnerName   string
	DueAt       time.Time
	Escalations int
	Overdue     bool
	ClueID      int64
	CaseID      int64
	ItemID      int64
}

const clueCols = `c.id, c.client_id, c.source, c.reporter_id, c.reporter_name, c.household_id, c.person_id, c.subject_name,
	c.place_code, pl.name, c.village_code, c.kinds, c.urgency, c.note, CASE WHEN c.photo IS NULL THEN 0 ELSE 1 END, c.reported_at,
	c.received_at, c.status, c.acknowledged_at, c.acknowledged_by, c.verified_at, c.verified_by, c.closed_at, c.case_id, c.version`

const clueFrom = ` FROM clues c JOIN places pl ON pl.code = c.place_code `

func scanClue(r scanner) (Clue, error) {
	var c Clue
	var kinds string
	var photo int
	var reported, received, acked, verified, closed int64
	err := r.Scan(&c.ID, &c.ClientID, &c.Source, &c.ReporterID, &c.ReporterName, &c.HouseholdID, &c.PersonID, &c.SubjectName,
		&c.PlaceCode, &c.PlaceName, &c.VillageCode, &kinds, &c.Urgency, &c.Note, &photo, &reported, &received, &c.Status,
		&acked, &c.AcknowledgedBy, &verified, &c.VerifiedBy, &closed, &c.CaseID, &c.Version)
	c.Kinds = strings.Split(kinds, ",")
	c.HasPhoto = photo == 1
	c.ReportedAt, c.ReceivedAt, c.AcknowledgedAt = fromMS(reported), fromMS(received), fromMS(acked)
	c.VerifiedAt, c.ClosedAt = fromMS(verified), fromMS(closed)
	return c, err
}

var errClueNotFound = safetynet.NotFound("线索", "clue")

func (s *Store) clueInScope(ctx context.Context, t *tx, a access.Actor, id int64) (Clue, error) {
	where, args := scopeCheck(a.Scope(access.Work), "c.place_code")
	c, err := scanClue(t.queryRow(ctx, `SELECT `+clueCols+clueFrom+`WHERE c.id = ? AND `+where, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errClueNotFound
	}
	if err != nil {
		return c, fmt.Errorf("sqlstore: clue %d: %w", id, err)
	}
	return c, nil
}

// workEvent appends a line to the timeline of a clue or case.
func (s *Store) workEvent(ctx context.Context, t *tx, a access.Actor, clueID, caseID, household int64, place, kind string, detail map[string]any) error {
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `INSERT INTO work_events (at, clue_id, case_id, household_id, place_code, kind, detail, user_id, username)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ms(s.now()), clueID, caseID, household, place, kind, string(d), a.UserID, a.Username); err != nil {
		return fmt.Errorf("sqlstore: work event %s: %w", kind, err)
	}
	return s.enqueueColour(ctx, t, kind, household) // a clue or case opened or closed: its colour (colours_compute.go)
}

// ReportClue records a clue. Sending the same client ID again returns the
// clue already recorded (created is false): a phone that lost the answer
// may send again without making two clues. The clue lands with the village
// responsible for its place, whose staff are told and must acknowledge it
// within the time limit of its urgency.
func (s *Store) ReportClue(ctx context.Context, a access.Actor, in safetynet.NewClue) (Clue, bool, error) {
	if err := a.Require(access.ClueReport); err != nil {
		return Clue{}, false, err
	}
	now := s.now()
	in, err := safetynet.CheckNewClue(in, now)
	if err != nil {
		return Clue{}, false, err
	}
	var id int64
	created := false
	err = s.write(ctx, func(t *tx) error {
		// resent finds a clue already recorded under the client ID.
		resent := func() (bool, error) {
			var owner int64
			err := t.queryRow(ctx, `SELECT id, reporter_id FROM clues WHERE client_id = ?`, in.ClientID).Scan(&id, &owner)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return false, nil
			case err != nil:
				return false, fmt.Errorf("sqlstore: clue lookup: %w", err)
			case owner != a.UserID:
				return false, safetynet.Conflict("client_id", "线索编号已被使用", "this client_id belongs to another clue")
			}
			return true, nil
		}
		if found, err := resent(); found || err != nil {
			return err // a resend: the clue is already here
		}
		if in.HouseholdID != 0 {
			h, err := s.householdInScope(ctx, t, a.Scope(access.Register), in.HouseholdID, false)
			if safetynet.CodeOf(err) == safetynet.ENotFound {
				return safetynet.Invalid("household_id", "家庭不存在或不在您负责的范围内", "the household does not exist or is outside your area")
			}
			if err != nil {
				return err
			}
			in.PlaceCode = h.PlaceCode
			if in.Name == "" {
				in.Name = h.HeadName
			}
			if in.PersonID != 0 {
				var pname string
				if err := t.queryRow(ctx, `SELECT name FROM persons WHERE id = ? AND household_id = ?`, in.PersonID, h.ID).Scan(&pname); err != nil {
					return safetynet.Invalid("person_id", "该人员不是这个家庭的成员", "the person is not a member of the household")
				}
				in.Name = pname
			}
		} else if _, err := s.registerPlace(ctx, t, a, in.PlaceCode); err != nil {
			return err
		}
		village, ok, err := s.ancestorAt(ctx, t, in.PlaceCode, safetynet.LevelVillage)
		if err != nil {
			return err
		}
		if !ok {
			return safetynet.Invalid("place_code", "请选择村（社区）或其下的组、网格", "choose a village or a group or grid below it")
		}
		if id, err = s.insertClue(ctx, t, a, in, village); err != nil || id != 0 {
			created = id != 0
			return err
		}
		// The same clue sent twice at once: another transaction committed
		// it first (PostgreSQL made this insert wait for it).
		if found, err := resent(); found || err != nil {
			return err
		}
		return fmt.Errorf("sqlstore: insert clue %q: conflict but no clue", in.ClientID)
	})
	if err != nil {
		return Clue{}, false, err
	}
	c, err := s.Clue(ctx, a, id)
	return c, created, err
}

// insertClue records a checked clue whose place is settled and opens its
// acknowledgement step with the owner of its place (the village, else the
// level above when village is ""), tells that level and writes the
// timeline and audit lines. It returns 0 when a clue with the same client
// ID exists already (ON CONFLICT: the unique key would abort the whole
// transaction on PostgreSQL). Department warnings use it too.
func (s *Store) insertClue(ctx context.Context, t *tx, a access.Actor, in safetynet.NewClue, village string) (int64, error) {
	var id int64
	var photo any
	if len(in.Photo) > 0 {
		photo = in.Photo
	}
	now := ms(s.now())
	if err := t.queryRow(ctx, `INSERT INTO clues (client_id, source, reporter_id, reporter_name, household_id, person_id, subject_name,
		place_code, village_code, kinds, urgency, note, photo, reported_at, received_at, status, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?)
		ON CONFLICT (client_id) DO NOTHING RETURNING id`,
		in.ClientID, in.Source, a.UserID, a.Username, in.HouseholdID, in.PersonID, in.Name, in.PlaceCode, village,
		strings.Join(in.Kinds, ","), in.Urgency, in.Note, photo, ms(in.ReportedAt), now, now).Scan(&id); errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("sqlstore: insert clue: %w", err)
	}
	limits, err := s.timeLimits(ctx, t)
	if err != nil {
		return 0, err
	}
	level, ownerPlace, err := s.openDeadline(ctx, t, deadline{Opening: relay.AcknowledgeStep(limits, in.Urgency, fromMS(now)),
		clueID: id, place: in.PlaceCode})
	if err != nil {
		return 0, err
	}
	detail := map[string]any{"kinds": in.Kinds, "urgency": in.Urgency, "source": in.Source, "name": in.Name}
	if err := s.workEvent(ctx, t, a, id, 0, in.HouseholdID, in.PlaceCode, "clue.report", detail); err != nil {
		return 0, err
	}
	if in.HouseholdID != 0 {
		if err := s.event(ctx, t, a, in.HouseholdID, in.PersonID, in.PlaceCode, "clue.report", map[string]any{"clue": id, "kinds": in.Kinds}); err != nil {
			return 0, err
		}
	}
	if err := s.notifyLevel(ctx, t, level, ownerPlace, relay.NewClueNotice(id, in.Urgency, detail)); err != nil {
		return 0, err
	}
	return id, s.audit(ctx, t, a, auditRec{action: "clue.report", objType: "clue", objID: fmt.Sprint(id), place: in.PlaceCode,
		detail: map[string]any{"source": in.Source, "urgency": in.Urgency}})
}

// clueToInsert is a clue for insertClues: checked, its place settled
// (village is "" when it lands above a village), its id reserved with
// allocIDs and its client ID new.
type clueToInsert struct {
	id      int64
	actor   access.Actor
	in      safetynet.NewClue
	village string
}

// insertClues is insertClue for many clues at once, in a few statements
// (bulk inserts, COPY on PostgreSQL): each clue is recorded, its
// acknowledgement step opens with the owner relay.OwnerLevel chooses
// above its place, the users of that level are told (inbox and outbox),
// and the timeline, household events and audit lines are written. places
// caches the places above each place (placeInfos); the clues' places are
// read into it. Unlike insertClue, a client ID already used is an error:
// department warnings make theirs from the new warning's id.
func (s *Store) insertClues(ctx context.Context, t *tx, cs []clueToInsert, places map[string]*placeInfo) error {
	if len(cs) == 0 {
		return nil
	}
	if places == nil {
		places = map[string]*placeInfo{}
	}
	ps := make([]string, len(cs))
	for i, c := range cs {
		ps[i] = c.in.PlaceCode
	}
	if err := placeInfos(ctx, t, places, ps); err != nil {
		return err
	}
	limits, err := s.timeLimits(ctx, t)
	if err != nil {
		return err
	}
	now := ms(s.now())
	type owned struct {
		level safetynet.Level
		owner string
	}
	owners := make([]owned, len(cs))
	ownerPlaces := map[string]bool{}
	var clueRows, deadlineRows, workRows, eventRows, auditRows [][]any
	var screen []int64
	for i, c := range cs {
		in, a := c.in, c.actor
		var photo any
		if len(in.Photo) > 0 {
			photo = in.Photo
		}
		clueRows = append(clueRows, []any{c.id, in.ClientID, in.Source, a.UserID, a.Username, in.HouseholdID, in.PersonID, in.Name,
			in.PlaceCode, c.village, strings.Join(in.Kinds, ","), in.Urgency, in.Note, photo, ms(in.ReportedAt), now, "reported", now})
		d := deadline{Opening: relay.AcknowledgeStep(limits, in.Urgency, fromMS(now)), clueID: c.id, place: in.PlaceCode}
		pi := places[in.PlaceCode]
		level, ok, _ := relay.OwnerLevel(d.Level, func(l safetynet.Level) (bool, error) {
			if pi == nil {
				return false, nil
			}
			_, ok := pi.at[l]
			return ok, nil
		})
		if !ok {
			return fmt.Errorf("sqlstore: no %s above %s", d.Level, d.place)
		}
		owners[i] = owned{level, pi.at[level]}
		ownerPlaces[pi.at[level]] = true
		deadlineRows = append(deadlineRows, []any{d.Kind, d.clueID, d.caseID, d.itemID, d.place, string(level), owners[i].owner,
			ms(d.Due), d.Interval.Milliseconds(), "open", now})
		detail, err := json.Marshal(map[string]any{"kinds": in.Kinds, "urgency": in.Urgency, "source": in.Source, "name": in.Name})
		if err != nil {
			return err
		}
		workRows = append(workRows, []any{now, c.id, int64(0), in.HouseholdID, in.PlaceCode, "clue.report", string(detail), a.UserID, a.Username})
		if in.HouseholdID != 0 {
			ed, err := json.Marshal(map[string]any{"clue": c.id, "kinds": in.Kinds})
			if err != nil {
				return err
			}
			eventRows = append(eventRows, []any{now, in.HouseholdID, in.PersonID, in.PlaceCode, "clue.report", string(ed), a.UserID, a.Username})
			if rules.AffectsScreening("clue.report") {
				screen = append(screen, in.HouseholdID)
			}
		}
		ad, err := json.Marshal(map[string]any{"source": in.Source, "urgency": in.Urgency})
		if err != nil {
			return err
		}
		auditRows = append(auditRows, []any{now, a.UserID, a.Username, string(a.Role), "clue.report", "clue", fmt.Sprint(c.id),
			in.PlaceCode, a.IP, string(ad)})
	}
	// The users to tell: those who answer at each owner's level.
	type user struct {
		id   int64
		name string
	}
	users := map[string][]user{} // place|role
	var list []string
	for p := range ownerPlaces {
		list = append(list, p)
	}
	sort.Strings(list)
	for len(list) > 0 {
		chunk := list[:min(len(list), drainInChunk)]
		list = list[len(chunk):]
		in, args := strList(chunk)
		rows, err := t.query(ctx, `SELECT id, username, place_code, role FROM users WHERE disabled = 0 AND place_code IN `+in+` ORDER BY id`, args...)
		if err != nil {
			return fmt.Errorf("sqlstore: users to notify: %w", err)
		}
		for rows.Next() {
			var u user
			var place, role string
			if err := rows.Scan(&u.id, &u.name, &place, &role); err != nil {
				rows.Close()
				return err
			}
			users[place+"|"+role] = append(users[place+"|"+role], u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var noteRows, outRows [][]any
	for i, c := range cs {
		role, _ := relay.RoleOfLevel(owners[i].level)
		n := relay.NewClueNotice(c.id, c.in.Urgency, map[string]any{"kinds": c.in.Kinds, "urgency": c.in.Urgency, "source": c.in.Source,
			"name": c.in.Name})
		d, err := json.Marshal(n.Detail)
		if err != nil {
			return err
		}
		for _, u := range users[owners[i].owner+"|"+string(role)] {
			noteRows = append(noteRows, []any{u.id, now, n.Kind, string(d), n.Link, n.ClueID, n.CaseID})
			for _, ch := range s.channels {
				outRows = append(outRows, []any{ch, u.name, n.Subject, n.Body, n.Link, now, now})
			}
		}
	}
	for _, w := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"clues", []string{"id", "client_id", "source", "reporter_id", "reporter_name", "household_id", "person_id", "subject_name",
			"place_code", "village_code", "kinds", "urgency", "note", "photo", "reported_at", "received_at", "status", "updated_at"}, clueRows},
		{"deadlines", []string{"kind", "clue_id", "case_id", "item_id", "place_code", "level", "owner_place", "due_at", "interval_ms",
			"status", "created_at"}, deadlineRows},
		{"work_events", []string{"at", "clue_id", "case_id", "household_id", "place_code", "kind", "detail", "user_id", "username"}, workRows},
		{"events", []string{"at", "household_id", "person_id", "place_code", "kind", "detail", "user_id", "username"}, eventRows},
		{"notifications", []string{"user_id", "created_at", "kind", "detail", "link", "clue_id", "case_id"}, noteRows},
		{"outbox", []string{"channel", "recipient", "subject", "body", "link", "created_at", "next_attempt_at"}, outRows},
		{"audit_log", []string{"at", "user_id", "username", "role", "action", "object_type", "object_id", "place_code", "ip", "detail"}, auditRows},
	} {
		if err := t.insertRows(ctx, w.table, w.cols, w.rows); err != nil {
			return err
		}
	}
	if len(screen) > 0 {
		return s.enqueue(ctx, t, screen...)
	}
	return nil
}

// Clue returns a clue of the actor's scope with its open step.
func (s *Store) Clue(ctx context.Context, a access.Actor, id int64) (Clue, error) {
	if err := a.Require(access.WorkView); err != nil {
		return Clue{}, err
	}
	var c Clue
	err := s.read(ctx, func(t *tx) error {
		var err error
		if c, err = s.clueInScope(ctx, t, a, id); err != nil {
			return err
		}
		steps, err := s.steps(ctx, t, "clue_id", id)
		if len(steps) > 0 {
			c.Due = &steps[0]
		}
		return err
	})
	return c, err
}

// CluePhoto returns a clue's photo.
func (s *Store) CluePhoto(ctx context.Context, a access.Actor, id int64) ([]byte, error) {
	if _, err := s.Clue(ctx, a, id); err != nil {
		return nil, err
	}
	var photo []byte
	if err := s.queryRow(ctx, `SELECT photo FROM clues WHERE id = ?`, id).Scan(&photo); err != nil {
		return nil, fmt.Errorf("sqlstore: photo of %d: %w", id, err)
	}
	if len(photo) == 0 {
		return nil, safetynet.NotFound("照片", "photo")
	}
	return photo, nil
}

const stepCols = `d.id, d.kind, d.level, d.owner_place, op.name, d.due_at, d.escalations, d.clue_id, d.case_id, d.item_id`

func (s *Store) scanStep(r scanner) (Step, error) {
	var st Step
	var level string
	var due int64
	err := r.Scan(&st.ID, &st.Kind, &level, &st.OwnerPlace, &st.OwnerName, &due, &st.Escalations, &st.ClueID, &st.CaseID, &st.ItemID)
	st.Level, st.DueAt = safetynet.Level(level), fromMS(due)
	st.Overdue = !st.DueAt.After(s.now())
	return st, err
}

// steps lists the open steps of a clue or case, the soonest first.
func (s *Store) steps(ctx context.Context, t *tx, column string, id int64) ([]Step, error) {
	rows, err := t.query(ctx, `SELECT `+stepCols+` FROM deadlines d JOIN places op ON op.code = d.owner_place
		WHERE d.`+column+` = ? AND d.status = 'open'`, id) // few rows: sorted here, which keeps SQLite on the clue/case index
	if err != nil {
		return nil, fmt.Errorf("sqlstore: steps: %w", err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		st, err := s.scanStep(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt) })
	return out, rows.Err()
}

// AcknowledgeClue records that the actor has taken the clue; verification
// at home is due next. A clue acknowledged by someone else meanwhile
// answers a conflict naming them.
func (s *Store) AcknowledgeClue(ctx context.Context, a access.Actor, id int64, version int) error {
	if err := a.Require(access.WorkHandle); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		c, err := s.clueInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if c.Status != relay.ClueReported {
			return safetynet.Conflict("status", "该线索已由 %s 响应", "this clue was already acknowledged by %s", s.displayNameOf(ctx, t, c.AcknowledgedBy))
		}
		if version != 0 && version != c.Version {
			return s.conflict(ctx, t, "clue", fmt.Sprint(id))
		}
		return s.acknowledge(ctx, t, a, c)
	})
}

func (s *Store) acknowledge(ctx context.Context, t *tx, a access.Actor, c Clue) error {
	now := s.now()
	if _, err := t.exec(ctx, `UPDATE clues SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, version = version + 1,
		updated_at = ? WHERE id = ?`, ms(now), a.Username, ms(now), c.ID); err != nil {
		return fmt.Errorf("sqlstore: acknowledge: %w", err)
	}
	if err := s.closeDeadlines(ctx, t, StepAcknowledge, "clue_id", c.ID, "done"); err != nil {
		return err
	}
	limits, err := s.timeLimits(ctx, t)
	if err != nil {
		return err
	}
	if _, _, err := s.openDeadline(ctx, t, deadline{Opening: relay.VerifyStep(limits, c.Urgency, now), clueID: c.ID,
		place: c.PlaceCode}); err != nil {
		return err
	}
	if err := s.workEvent(ctx, t, a, c.ID, 0, c.HouseholdID, c.PlaceCode, "clue.acknowledge", nil); err != nil {
		return err
	}
	if err := s.notifyUser(ctx, t, c.ReporterID, c.ReporterName, relay.AcknowledgedNotice(c.ID, a.Username)); err != nil {
		return err
	}
	return s.audit(ctx, t, a, auditRec{action: "clue.acknowledge", objType: "clue", objID: fmt.Sprint(c.ID), place: c.PlaceCode})
}

// LinkClue links a clue about someone not registered to the household
// registered for them since, so that a case can be opened.
func (s *Store) LinkClue(ctx context.Context, a access.Actor, id, householdID int64) error {
	if err := a.Require(access.WorkHandle); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		c, err := s.clueInScope(ctx, t, a, id)
		if err != nil {
			return err
		}
		if c.Status == relay.ClueClosed || c.Status == relay.ClueCase {
			return safetynet.Conflict("status", "该线索已核实完毕", "the clue is already verified")
		}
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.Invalid("household_id", "家庭不存在或不在您负责的范围内", "the household does not exist or is outside your area")
		}
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE clues SET household_id = ?, place_code = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			h.ID, h.PlaceCode, ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: link clue: %w", err)
		}
		if _, err := t.exec(ctx, `UPDATE deadlines SET place_code = ? WHERE clue_id = ? AND status = 'open'`, h.PlaceCode, id); err != nil {
			return err
		}
		if err := s.workEvent(ctx, t, a, id, 0, h.ID, h.PlaceCode, "clue.link", map[string]any{"household": h.ID}); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, h.ID, 0, h.PlaceCode, "clue.report", map[string]any{"clue": id, "kinds": c.Kinds}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "clue.link", objType: "clue", objID: fmt.Sprint(id), place: h.PlaceCode,
			detail: map[string]any{"household_id": h.ID}})
	})
}
