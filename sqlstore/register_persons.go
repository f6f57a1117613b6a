package sqlstore

import (
	"context"
	"fmt"
	"time"

	"safetynet"
	"safetynet/access"
)

// AddPerson adds a member to an active household.
func (s *Store) AddPerson(ctx context.Context, a access.Actor, householdID int64, in safetynet.PersonInput) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	today := s.now()
	in, legacy, err := safetynet.CheckPersonInput(in, today)
	if err != nil {
		return 0, err
	}
	if in.Relation == "" || in.Relation == "head" {
		return 0, safetynet.Invalid("relation", "请选择与户主的关系", "choose the relation to the head of household")
	}
	sp, err := s.sealPerson(in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if h.Status != safetynet.StatusActive {
			return safetynet.Invalid("household", "该家庭已合并或注销，不能添加成员", "the household was merged or dissolved")
		}
		if err := s.checkIDFree(ctx, t, a, sp.idIdx, 0); err != nil {
			return err
		}
		if id, err = s.insertPerson(ctx, t, householdID, h.PlaceCode, h.Address, in, legacy, sp, dateStr(today)); err != nil {
			return err
		}
		if err := s.countMembers(ctx, t, householdID); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, householdID, id, h.PlaceCode, "person.add", map[string]any{"name": in.Name, "relation": in.Relation}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "person.create", objType: "person", objID: fmt.Sprint(id), place: h.PlaceCode,
			detail: map[string]any{"household_id": householdID}})
	})
	return id, err
}

// countMembers recomputes a household's number of active members.
func (s *Store) countMembers(ctx context.Context, t *tx, householdID int64) error {
	_, err := t.exec(ctx, `UPDATE households SET member_count =
		(SELECT COUNT(*) FROM persons WHERE household_id = ? AND status = 'active'), updated_at = ? WHERE id = ?`,
		householdID, ms(s.now()), householdID)
	if err != nil {
		return fmt.Errorf("sqlstore: count members of %d: %w", householdID, err)
	}
	return nil
}

// UpdatePerson changes a person's details. A changed ID number is checked
// against the whole register like a new one.
func (s *Store) UpdatePerson(ctx context.Context, a access.Actor, id int64, patch safetynet.PersonPatch, version int) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := s.personInScope(ctx, t, a.Scope(access.Register), id, true)
		if err != nil {
			return err
		}
		if version != old.Version {
			return s.conflict(ctx, t, "person", fmt.Sprint(id))
		}
		in, legacy, err := safetynet.CheckPersonInput(patch.Apply(old), s.now())
		if err != nil {
			return err
		}
		if old.Relation == "head" {
			in.Relation = "head" // the head changes through SetHead
		} else if in.Relation == "head" || in.Relation == "" {
			return safetynet.Invalid("relation", "请选择与户主的关系；更换户主请使用“设为户主”", "choose a relation; use 'make head' to change the head")
		}
		if in.IDNumber == old.IDNumber {
			legacy = old.IDLegacy && legacy
		}
		sp, err := s.sealPerson(in)
		if err != nil {
			return err
		}
		if in.IDNumber != old.IDNumber {
			if err := s.checkIDFree(ctx, t, a, sp.idIdx, id); err != nil {
				return err
			}
		}
		changes := personChanges(old, in)
		if len(changes) == 0 {
			return nil
		}
		h, err := s.householdInScope(ctx, t, rootScope, old.HouseholdID, false)
		if err != nil {
			return err
		}
		text, err := t.searchText(ctx, in.Name, h.Address, h.PlaceCode)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE persons SET relation = ?, name = ?, id_enc = ?, id_idx = ?, id_legacy = ?, birth_date = ?, sex = ?,
			phone_enc = ?, phone_idx = ?, disability_kind = ?, disability_grade = ?, health = ?, health_notes = ?, education = ?,
			in_school = ?, labour = ?, work = ?, search_text = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Relation, in.Name, sp.idEnc, sp.idIdx, boolInt(legacy), dateStr(in.Birth), in.Sex, sp.phoneEnc, sp.phoneIdx,
			in.DisabilityKind, in.DisabilityGrade, in.Health, in.HealthNotes, in.Education, boolInt(in.InSchool), in.Labour, in.Work,
			text, ms(s.now()), id)
		if classify(err) == errUnique {
			return safetynet.Conflict("id_number", "该身份证号已登记", "this ID number is already registered")
		}
		if err != nil {
			return fmt.Errorf("sqlstore: update person %d: %w", id, err)
		}
		if err := s.event(ctx, t, a, old.HouseholdID, id, old.PlaceCode, "person.update", map[string]any{"changed": changes}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "person.update", objType: "person", objID: fmt.Sprint(id), place: old.PlaceCode,
			detail: map[string]any{"changed": changes}})
	})
}

// personChanges lists changed fields. ID and phone numbers and health
// details are reported as changed, never with their values.
func personChanges(old safetynet.Person, in safetynet.PersonInput) map[string]any {
	c := map[string]any{}
	diff := func(field string, from, to any) {
		if from != to {
			c[field] = map[string]any{"from": from, "to": to}
		}
	}
	secret := func(field string, changed bool) {
		if changed {
			c[field] = "changed"
		}
	}
	diff("name", old.Name, in.Name)
	diff("relation", old.Relation, in.Relation)
	diff("birth", dateStr(old.Birth), dateStr(in.Birth))
	diff("sex", old.Sex, in.Sex)
	diff("education", old.Education, in.Education)
	diff("in_school", old.InSchool, in.InSchool)
	diff("labour", old.Labour, in.Labour)
	diff("work", old.Work, in.Work)
	secret("id_number", old.IDNumber != in.IDNumber)
	secret("phone", old.Phone != in.Phone)
	secret("disability", old.DisabilityKind != in.DisabilityKind || old.DisabilityGrade != in.DisabilityGrade)
	secret("health", old.Health != in.Health || old.HealthNotes != in.HealthNotes)
	return c
}

// StatusChange records a death or a departure.
type StatusChange struct {
	Status  string // StatusDeceased or StatusMovedAway
	Date    time.Time
	Note    string
	NewHead int64 // the member who becomes head if the person was the head
	Version int
}

// SetPersonStatus records that a person died or moved away. The person's
// history stays; their membership and active categories end on the date.
// If they headed a household with other members, NewHead must name one.
func (s *Store) SetPersonStatus(ctx context.Context, a access.Actor, id int64, c StatusChange) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	if c.Status != safetynet.StatusDeceased && c.Status != safetynet.StatusMovedAway {
		return safetynet.Invalid("status", "状态应为死亡或迁出", "status must be deceased or moved_away")
	}
	if c.Date.IsZero() || c.Date.After(s.now()) {
		return safetynet.Invalid("date", "请填写不晚于今天的日期", "a date no later than today is required")
	}
	note, err := checkNote(c.Note)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := s.personInScope(ctx, t, a.Scope(access.Register), id, false)
		if err != nil {
			return err
		}
		if c.Version != 0 && c.Version != p.Version {
			return s.conflict(ctx, t, "person", fmt.Sprint(id))
		}
		if p.Status != safetynet.StatusActive {
			return safetynet.Invalid("status", "该人员已不是在册状态", "the person is no longer active")
		}
		reason := map[string]string{safetynet.StatusDeceased: "deceased", safetynet.StatusMovedAway: "moved_away"}[c.Status]
		if _, err := t.exec(ctx, `UPDATE persons SET status = ?, status_date = ?, status_note = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, c.Status, dateStr(c.Date), note, ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: person status: %w", err)
		}
		if err := s.endMembership(ctx, t, id, c.Date, reason); err != nil {
			return err
		}
		if err := s.endAllCategories(ctx, t, a, safetynet.SubjectPerson, id, c.Date, reason); err != nil {
			return err
		}
		if err := s.replaceHead(ctx, t, a, p, c.NewHead); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, p.HouseholdID, id, p.PlaceCode, "person."+c.Status, map[string]any{"date": dateStr(c.Date), "note": note}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "person." + c.Status, objType: "person", objID: fmt.Sprint(id), place: p.PlaceCode,
			detail: map[string]any{"date": dateStr(c.Date)}})
	})
}

func checkNote(n string) (string, error) {
	if len([]rune(n)) > 500 {
		return "", safetynet.Invalid("note", "说明不能超过500个字", "the note must be at most 500 characters")
	}
	return n, nil
}

func (s *Store) endMembership(ctx context.Context, t *tx, personID int64, date time.Time, reason string) error {
	if _, err := t.exec(ctx, `UPDATE memberships SET end_date = ?, end_reason = ? WHERE person_id = ? AND end_date = ''`,
		dateStr(date), reason, personID); err != nil {
		return fmt.Errorf("sqlstore: end membership: %w", err)
	}
	return nil
}

// replaceHead runs after p left its household: if p was the head, the
// member newHead takes over; a household left without members is
// dissolved. It also recounts the members.
func (s *Store) replaceHead(ctx context.Context, t *tx, a access.Actor, p safetynet.Person, newHead int64) error {
	hh := p.HouseholdID
	if err := s.countMembers(ctx, t, hh); err != nil {
		return err
	}
	var left int
	if err := t.queryRow(ctx, `SELECT member_count FROM households WHERE id = ?`, hh).Scan(&left); err != nil {
		return fmt.Errorf("sqlstore: members left: %w", err)
	}
	if p.Relation != "head" {
		return nil
	}
	if left == 0 {
		_, err := t.exec(ctx, `UPDATE households SET status = 'dissolved', version = version + 1 WHERE id = ?`, hh)
		if err != nil {
			return fmt.Errorf("sqlstore: dissolve household: %w", err)
		}
		return s.event(ctx, t, a, hh, 0, p.PlaceCode, "household.dissolve", nil)
	}
	if newHead == 0 {
		return safetynet.Invalid("new_head", "该人员是户主，请指定新的户主", "this person heads the household: choose a new head")
	}
	return s.makeHead(ctx, t, a, hh, newHead)
}

// makeHead makes member personID the head of household hh.
func (s *Store) makeHead(ctx context.Context, t *tx, a access.Actor, hh, personID int64) error {
	var name, place string
	err := t.queryRow(ctx, `SELECT name, place_code FROM persons WHERE id = ? AND household_id = ? AND status = 'active'`,
		personID, hh).Scan(&name, &place)
	if err != nil {
		return safetynet.Invalid("new_head", "新户主必须是该家庭的在册成员", "the new head must be an active member of the household")
	}
	if _, err := t.exec(ctx, `UPDATE persons SET relation = 'other', version = version + 1 WHERE household_id = ? AND relation = 'head' AND id <> ?`, hh, personID); err != nil {
		return fmt.Errorf("sqlstore: old head: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE persons SET relation = 'head', version = version + 1 WHERE id = ?`, personID); err != nil {
		return fmt.Errorf("sqlstore: new head: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE households SET head_person_id = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		personID, ms(s.now()), hh); err != nil {
		return fmt.Errorf("sqlstore: household head: %w", err)
	}
	return s.event(ctx, t, a, hh, personID, place, "household.head", map[string]any{"name": name})
}

// SetHead makes an active member the head of their household; the former
// head's relation becomes "other", to be corrected by hand.
func (s *Store) SetHead(ctx context.Context, a access.Actor, householdID, personID int64) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		h, err := s.householdInScope(ctx, t, a.Scope(access.Register), householdID, false)
		if err != nil {
			return err
		}
		if err := s.makeHead(ctx, t, a, householdID, personID); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "household.head", objType: "household", objID: fmt.Sprint(householdID),
			place: h.PlaceCode, detail: map[string]any{"person_id": personID}})
	})
}
