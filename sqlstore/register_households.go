package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"safetynet"
	"safetynet/access"
)

// registerPlace checks that code is a place where households live (a
// village, group or grid) inside the actor's scope.
func (s *Store) registerPlace(ctx context.Context, t *tx, a access.Actor, code string) (safetynet.Place, error) {
	p, err := s.placeInScope(ctx, t, a.Scope(access.Register), code)
	if safetynet.CodeOf(err) == safetynet.ENotFound {
		return p, safetynet.Invalid("place_code", "地区 %s 不存在或不在您负责的范围内", "place %s does not exist or is outside your area", code)
	}
	if err != nil {
		return p, err
	}
	switch p.Level {
	case safetynet.LevelVillage, safetynet.LevelGroup, safetynet.LevelGrid:
		return p, nil
	}
	return p, safetynet.Invalid("place_code", "家庭只能登记在村（社区）、村民小组或网格", "households belong to a village, group or grid")
}

// sealedPerson holds a person's encrypted fields.
type sealedPerson struct {
	idEnc, idIdx, phoneEnc, phoneIdx []byte
}

func (s *Store) sealPerson(in safetynet.PersonInput) (sealedPerson, error) {
	var sp sealedPerson
	var err error
	if sp.idEnc, sp.idIdx, err = s.seal(in.IDNumber, ctxPersonID, idxIDNumber); err != nil {
		return sp, err
	}
	sp.phoneEnc, sp.phoneIdx, err = s.seal(in.Phone, ctxPersonPhone, idxPhone)
	return sp, err
}

// checkIDFree refuses an ID number that is already registered to another
// person. Inside the actor's scope the answer names the household; outside
// it says only that the number is registered elsewhere.
func (s *Store) checkIDFree(ctx context.Context, t *tx, a access.Actor, idx []byte, self int64) error {
	if idx == nil {
		return nil
	}
	var id, hh int64
	var place string
	err := t.queryRow(ctx, `SELECT id, household_id, place_code FROM persons WHERE id_idx = ?`, idx).Scan(&id, &hh, &place)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && id == self) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: ID lookup: %w", err)
	}
	return s.duplicateIDError(ctx, t, a, id, hh)
}

func (s *Store) duplicateIDError(ctx context.Context, t *tx, a access.Actor, personID, householdID int64) error {
	if p, err := s.personInScope(ctx, t, a.Scope(access.Register), personID, false); err == nil {
		return safetynet.Conflict("id_number", "该身份证号已登记：%s（家庭编号 %d，人员编号 %d），请核实是否为同一人",
			"this ID number is already registered: %s (household %d, person %d); check whether it is the same person",
			p.Name, householdID, personID)
	}
	return safetynet.Conflict("id_number", "该身份证号已在其他地区登记，请联系上级民政部门核实",
		"this ID number is already registered in another area: ask the county civil-affairs office")
}

// CreateHousehold registers a household with its head.
func (s *Store) CreateHousehold(ctx context.Context, a access.Actor, in safetynet.HouseholdInput, head safetynet.PersonInput) (int64, error) {
	if err := a.Require(access.RegisterEdit); err != nil {
		return 0, err
	}
	today := s.now()
	in, err := safetynet.CheckHouseholdInput(in, today)
	if err != nil {
		return 0, err
	}
	head.Relation = "head"
	head, legacy, err := safetynet.CheckPersonInput(head, today)
	if err != nil {
		return 0, err
	}
	phoneEnc, phoneIdx, err := s.seal(in.Phone, ctxHHPhone, idxPhone)
	if err != nil {
		return 0, err
	}
	sp, err := s.sealPerson(head)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		if _, err := s.registerPlace(ctx, t, a, in.PlaceCode); err != nil {
			return err
		}
		if err := s.checkIDFree(ctx, t, a, sp.idIdx, 0); err != nil {
			return err
		}
		now := ms(s.now())
		if err := t.queryRow(ctx, `INSERT INTO households (number, place_code, address, phone_enc, phone_idx, income_year, income_fen,
			housing, water, notes, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 1, ?, ?) RETURNING id`,
			in.Number, in.PlaceCode, in.Address, phoneEnc, phoneIdx, in.IncomeYear, in.IncomeFen, in.Housing, in.Water, in.Notes,
			now, now).Scan(&id); err != nil {
			return fmt.Errorf("sqlstore: insert household: %w", err)
		}
		pid, err := s.insertPerson(ctx, t, id, in.PlaceCode, in.Address, head, legacy, sp, dateStr(today))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE households SET head_person_id = ?, member_count = 1 WHERE id = ?`, pid, id); err != nil {
			return fmt.Errorf("sqlstore: household head: %w", err)
		}
		if err := s.event(ctx, t, a, id, pid, in.PlaceCode, "household.create", map[string]any{"head": head.Name, "address": in.Address}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "household.create", objType: "household", objID: fmt.Sprint(id), place: in.PlaceCode,
			detail: map[string]any{"head_person_id": pid}})
	})
	return id, err
}

// insertPerson inserts an active person with the membership that starts
// on date.
func (s *Store) insertPerson(ctx context.Context, t *tx, householdID int64, place, address string, in safetynet.PersonInput,
	legacy bool, sp sealedPerson, date string) (int64, error) {
	now := ms(s.now())
	text, err := t.searchText(ctx, in.Name, address, place)
	if err != nil {
		return 0, err
	}
	var id int64
	err = t.queryRow(ctx, `INSERT INTO persons (household_id, place_code, relation, name, id_enc, id_idx, id_legacy, birth_date, sex,
		phone_enc, phone_idx, disability_kind, disability_grade, health, health_notes, education, in_school, labour, work, status,
		search_text, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, 1, ?, ?) RETURNING id`,
		householdID, place, in.Relation, in.Name, sp.idEnc, sp.idIdx, boolInt(legacy), dateStr(in.Birth), in.Sex,
		sp.phoneEnc, sp.phoneIdx, in.DisabilityKind, in.DisabilityGrade, in.Health, in.HealthNotes, in.Education, boolInt(in.InSchool),
		in.Labour, in.Work, text, now, now).Scan(&id)
	if classify(err) == errUnique {
		return 0, safetynet.Conflict("id_number", "该身份证号已登记", "this ID number is already registered")
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: insert person: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO memberships (person_id, household_id, relation, start_date) VALUES (?, ?, ?, ?)`,
		id, householdID, in.Relation, date); err != nil {
		return 0, fmt.Errorf("sqlstore: membership: %w", err)
	}
	return id, nil
}

// UpdateHousehold changes a household's details. A new place moves the
// members and their categories with it.
func (s *Store) UpdateHousehold(ctx context.Context, a access.Actor, id int64, patch safetynet.HouseholdPatch, version int) error {
	if err := a.Require(access.RegisterEdit); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := s.householdInScope(ctx, t, a.Scope(access.Register), id, true)
		if err != nil {
			return err
		}
		if version != old.Version {
			return s.conflict(ctx, t, "household", fmt.Sprint(id))
		}
		if old.Status != safetynet.StatusActive {
			return safetynet.Invalid("household", "该家庭已合并或注销", "the household was merged or dissolved")
		}
		in, err := safetynet.CheckHouseholdInput(patch.Apply(old), s.now())
		if err != nil {
			return err
		}
		changes := householdChanges(old, in)
		if len(changes) == 0 {
			return nil
		}
		if in.PlaceCode != old.PlaceCode {
			if _, err := s.registerPlace(ctx, t, a, in.PlaceCode); err != nil {
				return err
			}
		}
		phoneEnc, phoneIdx, err := s.seal(in.Phone, ctxHHPhone, idxPhone)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE households SET number = ?, place_code = ?, address = ?, phone_enc = ?, phone_idx = ?,
			income_year = ?, income_fen = ?, housing = ?, water = ?, notes = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			in.Number, in.PlaceCode, in.Address, phoneEnc, phoneIdx, in.IncomeYear, in.IncomeFen, in.Housing, in.Water, in.Notes,
			ms(s.now()), id); err != nil {
			return fmt.Errorf("sqlstore: update household %d: %w", id, err)
		}
		if err := s.relocateMembers(ctx, t, id, in.PlaceCode, in.Address, old.Address != in.Address || old.PlaceCode != in.PlaceCode); err != nil {
			return err
		}
		if err := s.event(ctx, t, a, id, 0, in.PlaceCode, "household.update", map[string]any{"changed": changes}); err != nil {
			return err
		}
		return s.audit(ctx, t, a, auditRec{action: "household.update", objType: "household", objID: fmt.Sprint(id), place: in.PlaceCode,
			detail: map[string]any{"changed": changes}})
	})
}

// relocateMembers keeps the members' place, categories and search text in
// step with their household.
func (s *Store) relocateMembers(ctx context.Context, t *tx, householdID int64, place, address string, addressChanged bool) error {
	if _, err := t.exec(ctx, `UPDATE persons SET place_code = ? WHERE household_id = ?`, place, householdID); err != nil {
		return fmt.Errorf("sqlstore: relocate members: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE assignments SET place_code = ? WHERE household_id = ?`, place, householdID); err != nil {
		return fmt.Errorf("sqlstore: relocate categories: %w", err)
	}
	if !addressChanged {
		return nil
	}
	rows, err := t.query(ctx, `SELECT id, name FROM persons WHERE household_id = ?`, householdID)
	if err != nil {
		return fmt.Errorf("sqlstore: members: %w", err)
	}
	type member struct {
		id   int64
		name string
	}
	var ms []member
	for rows.Next() {
		var m member
		if err := rows.Scan(&m.id, &m.name); err != nil {
			rows.Close()
			return err
		}
		ms = append(ms, m)
	}
	rows.Close()
	for _, m := range ms {
		text, err := t.searchText(ctx, m.name, address, place)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE persons SET search_text = ? WHERE id = ?`, text, m.id); err != nil {
			return fmt.Errorf("sqlstore: search text: %w", err)
		}
	}
	return rows.Err()
}

// householdChanges names the fields that differ; sensitive values are
// reported as changed without their content.
func householdChanges(old safetynet.Household, in safetynet.HouseholdInput) map[string]any {
	c := map[string]any{}
	diff := func(field string, from, to any) {
		if from != to {
			c[field] = map[string]any{"from": from, "to": to}
		}
	}
	diff("number", old.Number, in.Number)
	diff("place_code", old.PlaceCode, in.PlaceCode)
	diff("address", old.Address, in.Address)
	diff("income_year", old.IncomeYear, in.IncomeYear)
	diff("income_fen", old.IncomeFen, in.IncomeFen)
	diff("housing", old.Housing, in.Housing)
	diff("water", old.Water, in.Water)
	if old.Notes != in.Notes {
		c["notes"] = "changed"
	}
	if old.Phone != in.Phone {
		c["phone"] = "changed"
	}
	return c
}
