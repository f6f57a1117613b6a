package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/register"
)

// subjectPlace returns the place and household of a household or person
// in the actor's scope.
func (s *Store) subjectPlace(ctx context.Context, t *tx, a access.Actor, subject safetynet.Subject, id int64) (place string, household int64, err error) {
	switch subject {
	case safetynet.SubjectHousehold:
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), id, false)
		if err == nil && h.Status != safetynet.StatusActive {
			err = safetynet.Invalid("household", "该家庭已合并或注销", "the household was merged or dissolved")
		}
		return h.PlaceCode, h.ID, err
	case safetynet.SubjectPerson:
		p, err := s.personInScope(ctx, t, a.Scope(access.Register), id, false)
		if err == nil && p.Status != safetynet.StatusActive {
			err = safetynet.Invalid("person", "该人员已不在册", "the person is no longer active")
		}
		return p.PlaceCode, p.HouseholdID, err
	}
	return "", 0, safetynet.Invalid("subject", "对象类型无效", "subject must be household or person")
}

// AssignCategory gives a household or person a category from a date. A
// category of an exclusive group (the three monitored kinds) ends the
// active one of the same group ("changed"). Holding the same category
// (and risk type) twice is refused.
func (s *Store) AssignCategory(ctx context.Context, a access.Actor, subject safetynet.Subject, id int64, in safetynet.NewAssignment) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	var aid int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		aid, err = s.assign(ctx, t, a, subject, id, in)
		return err
	})
	return aid, err
}

func (s *Store) assign(ctx context.Context, t *tx, a access.Actor, subject safetynet.Subject, id int64, in safetynet.NewAssignment) (int64, error) {
	cat, err := safetynet.CheckNewAssignment(subject, in, s.now())
	if err != nil {
		return 0, err
	}
	if in.Source == "" {
		in.Source = "manual"
	}
	reason, err := checkNote(in.Reason)
	if err != nil {
		return 0, err
	}
	place, household, err := s.subjectPlace(ctx, t, a, subject, id)
	if err != nil {
		return 0, err
	}
	active, err := s.activeAssignments(ctx, t, subject, []int64{id})
	if err != nil {
		return 0, err
	}
	replaced, err := register.Assign(active[id], cat, in)
	if err != nil {
		return 0, err
	}
	for _, x := range replaced {
		if err := s.endAssignment(ctx, t, a, x, place, in.Start, register.ReplacedReason, "→ "+in.Category); err != nil {
			return 0, err
		}
	}
	aid, detail, err := s.insertAssignment(ctx, t, a, subject, id, household, place, in, reason)
	if err != nil {
		return 0, err
	}
	return aid, s.audit(ctx, t, a, auditRec{action: "category.add", objType: string(subject), objID: fmt.Sprint(id), place: place, detail: detail})
}

// insertAssignment saves a checked assignment and its timeline event.
func (s *Store) insertAssignment(ctx context.Context, t *tx, a access.Actor, subject safetynet.Subject, id, household int64,
	place string, in safetynet.NewAssignment, reason string) (int64, map[string]any, error) {
	var aid int64
	err := t.queryRow(ctx, `INSERT INTO assignments (subject, subject_id, household_id, place_code, category, risk_type, start_date,
		start_reason, source, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(subject), id, household, place, in.Category, in.RiskType, dateStr(in.Start), reason, in.Source, a.Username,
		ms(s.now())).Scan(&aid)
	if err != nil {
		return 0, nil, fmt.Errorf("sqlstore: assign %s: %w", in.Category, err)
	}
	personID := int64(0)
	if subject == safetynet.SubjectPerson {
		personID = id
	}
	detail := map[string]any{"category": in.Category, "risk_type": in.RiskType, "start": dateStr(in.Start), "reason": reason, "source": in.Source}
	return aid, detail, s.event(ctx, t, a, household, personID, place, "category.add", detail)
}

// EndCategory ends an active assignment with a date and a reason, e.g.
// 风险消除 (risk_eliminated). The assignment stays in the history.
func (s *Store) EndCategory(ctx context.Context, a access.Actor, assignmentID int64, in safetynet.EndAssignment) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	if err := register.CheckEndReason(in.Reason); err != nil {
		return err
	}
	note, err := checkNote(in.Note)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		x, err := scanAssignment(t.queryRow(ctx, `SELECT `+assignmentCols+` FROM assignments WHERE id = ?`, assignmentID))
		if err != nil {
			return safetynet.NotFound("类别记录", "category assignment")
		}
		place, _, err := s.subjectPlace(ctx, t, a, x.Subject, x.SubjectID)
		if safetynet.CodeOf(err) == safetynet.ENotFound {
			return safetynet.NotFound("类别记录", "category assignment")
		}
		if err != nil {
			return err
		}
		if in, err = register.CheckEnd(x, in, s.now()); err != nil {
			return err
		}
		return s.endAssignment(ctx, t, a, x, place, in.End, in.Reason, note)
	})
}

func (s *Store) endAssignment(ctx context.Context, t *tx, a access.Actor, x safetynet.Assignment, place string, end time.Time, reason, note string) error {
	if _, err := t.exec(ctx, `UPDATE assignments SET end_date = ?, end_reason = ?, end_note = ?, ended_by = ?, ended_at = ?
		WHERE id = ? AND end_date = ''`, dateStr(end), reason, note, a.Username, ms(s.now()), x.ID); err != nil {
		return fmt.Errorf("sqlstore: end category: %w", err)
	}
	var household, person int64
	if x.Subject == safetynet.SubjectHousehold {
		household = x.SubjectID
	} else {
		person = x.SubjectID
		_ = t.queryRow(ctx, `SELECT household_id FROM persons WHERE id = ?`, person).Scan(&household)
	}
	detail := map[string]any{"category": x.Category, "risk_type": x.RiskType, "end": dateStr(end), "reason": reason, "note": note}
	if err := s.event(ctx, t, a, household, person, place, "category.end", detail); err != nil {
		return err
	}
	return s.audit(ctx, t, a, auditRec{action: "category.end", objType: string(x.Subject), objID: fmt.Sprint(x.SubjectID), place: place, detail: detail})
}

// endAllCategories ends every active assignment of a subject.
func (s *Store) endAllCategories(ctx context.Context, t *tx, a access.Actor, subject safetynet.Subject, id int64, end time.Time, reason string) error {
	active, err := s.activeAssignments(ctx, t, subject, []int64{id})
	if err != nil {
		return err
	}
	for _, x := range active[id] {
		var place string
		_ = t.queryRow(ctx, `SELECT place_code FROM assignments WHERE id = ?`, x.ID).Scan(&place)
		e := end
		if e.Before(x.Start) { // a period cannot end before it began
			e = x.Start
		}
		if err := s.endAssignment(ctx, t, a, x, place, e, reason, ""); err != nil {
			return err
		}
	}
	return nil
}
